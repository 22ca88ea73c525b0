"""The star self-assessment: answers per indicator, computed yes count, star 2–5, workflow."""

from __future__ import annotations

import pytest

from ratings.models import Indicator, IndicatorSet, StarAnswer, StarSelfAssessment
from tasks import services as task_services
from tasks.kinds import get_kind
from tasks.models import Assignment, AssignmentStatus
from tests.builders.tasks import form_assignment
from tests.surveys.helpers import detail

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(personas):
    return form_assignment(personas, "star_self_assessment")


def post(answers: dict[int, str], *, star="", action="save", version=1, **header):
    data = {"action": action, "version": str(version), "self_star": star, **header}
    for number, answer in answers.items():
        data[f"answer_{number}"] = answer
        data[f"evidence_{number}"] = f"记录{number}"
    return data


ALL_YES_BUT_TWO = {n: ("no" if n in (3, 17) else "yes") for n in range(1, 21)}


def test_the_placeholder_set_is_labelled_and_complete():
    indicator_set = IndicatorSet.objects.get(year=2022)
    assert indicator_set.is_placeholder
    indicators = list(indicator_set.indicators.all())
    assert len(indicators) == 20
    assert {i.dimension for i in indicators} == {"political", "committee", "membership", "role"}
    assert all(
        sum(1 for i in indicators if i.dimension == d) == 5
        for d in ("political", "committee", "membership", "role")
    )


def test_page_lists_every_indicator_and_the_placeholder_label(personas, assignment):
    html = personas.client("secretary_a").get(detail(assignment)).content.decode()
    assert html.count('name="answer_') == 40  # yes and no radio of each of the 20
    assert "placeholder" in html
    assert 'id="sheet-export"' in html


def test_page_shows_the_intro_above_the_fields_inside_the_form(personas, assignment):
    html = personas.client("secretary_a").get(detail(assignment)).content.decode()
    form_start = html.index('id="assignment-form"')
    assert form_start < html.index('id="indicator-set"') < html.index('name="answer_1"')
    assert html.count('id="indicator-set"') == 1


def test_draft_may_be_incomplete_and_yes_count_is_computed(personas, assignment):
    client = personas.client("secretary_a")
    response = client.post(detail(assignment), post({1: "yes", 2: "yes", 3: "no"}))
    assert response.status_code == 302
    sheet = StarSelfAssessment.objects.get(assignment=assignment)
    assert sheet.yes_count == 2
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.DRAFT


def test_yes_count_cannot_be_typed(personas, assignment):
    data = post(ALL_YES_BUT_TWO, star="4", yes_count="20")
    personas.client("secretary_a").post(detail(assignment), data)
    assert StarSelfAssessment.objects.get().yes_count == 18


def test_submit_needs_every_answer_and_a_star(personas, assignment):
    client = personas.client("secretary_a")
    response = client.post(detail(assignment), post({1: "yes"}, action="submit"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "answer_2" in form.errors and "self_star" in form.errors
    assert "Answer this indicator before submitting." in response.content.decode()
    assert not StarAnswer.objects.exists()
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.PENDING


@pytest.mark.parametrize("star", ["1", "6", "x"])
def test_star_outside_two_to_five_is_refused(personas, assignment, star):
    response = personas.client("secretary_a").post(
        detail(assignment), post(ALL_YES_BUT_TWO, star=star, action="submit")
    )
    assert response.status_code == 200
    assert "self_star" in response.context["form"].errors


def test_submit_then_office_returns_and_branch_resubmits(personas, assignment):
    client = personas.client("secretary_a")
    response = client.post(detail(assignment), post(ALL_YES_BUT_TWO, star="4", action="submit"))
    assert response.status_code == 302
    saved = Assignment.objects.get(pk=assignment.pk)
    assert saved.status == AssignmentStatus.SUBMITTED
    kind = get_kind("star_self_assessment")
    assert kind.submit_errors(saved) == []
    assert "18" in kind.summary(saved)
    office_page = personas.client("office").get(detail(assignment)).content.decode()
    assert "记录17" in office_page
    task_services.return_for_changes(assignment.pk, personas.user("office"), comment="请补充佐证")
    response = client.post(
        detail(assignment),
        post({**ALL_YES_BUT_TWO, 3: "yes"}, star="5", action="submit", version=saved.version + 1),
    )
    assert response.status_code == 302
    assert StarSelfAssessment.objects.get().yes_count == 19


def test_submit_refused_without_an_indicator_set(personas):
    IndicatorSet.objects.all().delete()
    assignment = form_assignment(personas, "star_self_assessment")
    errors = get_kind("star_self_assessment").submit_errors(assignment)
    assert errors == ["The office has not loaded the indicators of this year yet."]


def test_a_later_year_uses_the_latest_earlier_set(personas):
    assignment = form_assignment(personas, "star_self_assessment", year=2023)
    assert get_kind("star_self_assessment").indicator_set(assignment).year == 2022


def test_a_veto_indicator_answered_no_caps_the_self_assessed_star(personas, assignment):
    Indicator.objects.filter(number=3).update(is_veto=True)
    client = personas.client("secretary_a")
    response = client.post(detail(assignment), post(ALL_YES_BUT_TWO, star="4", action="submit"))
    assert "A veto indicator is answered “no” (3): the star is at most 2." in (
        response.content.decode()
    )
    assert Assignment.objects.get(pk=assignment.pk).status != AssignmentStatus.SUBMITTED
    version = Assignment.objects.get(pk=assignment.pk).version
    response = client.post(
        detail(assignment), post(ALL_YES_BUT_TWO, star="2", action="submit", version=version)
    )
    assert response.status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.SUBMITTED
