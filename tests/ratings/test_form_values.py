"""The rating forms (opening a round, a member's rating, the committee's decision) and the
attachment forms in the browser (star self-assessment, the row sheets) refuse any value the
model would not store with a form error, never a server error, and save nothing then."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ratings import services
from ratings.models import CommitteeRating, RatingRound, StarDecision, StarSelfAssessment
from surveys.models import BrandPlan, RectificationItem
from tests.builders.ratings import open_round, self_assess
from tests.builders.tasks import form_assignment
from tests.extreme_values import (
    EXAMPLES,
    HEAVY_EXAMPLES,
    assert_not_server_error,
    form_values,
    need_postgresql,
    one_example,
)
from tests.surveys.helpers import detail, rows_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def rating_round(personas):
    self_assess(personas, "branch_a", 4)
    return open_round(personas)


@pytest.fixture
def sheets(personas):
    kinds = ("star_self_assessment", "rectification", "brand_plan")
    return {kind: form_assignment(personas, kind) for kind in kinds}


def check_saved(*models):
    for model in models:
        for record in model.objects.all():
            record.clean_fields(exclude=["assignment", "indicator_set", "sheet", "decided_by"])


@pytest.mark.postgres
@EXAMPLES
@given(year=form_values, first=form_values, second=form_values)
def test_open_round_form(personas, year, first, second):
    need_postgresql()
    with one_example():
        data = {
            "committee": personas.tree["committee"].pk,
            "year": year,
            "self_assessment_due": first,
            "decision_due": second,
        }
        response = personas.client("office").post(reverse("ratings:rounds"), data)
        assert_not_server_error(response, data)
        check_saved(RatingRound)


@pytest.mark.postgres
@HEAVY_EXAMPLES
@given(star=form_values, score=form_values, opinion=form_values, comment=form_values)
def test_rating_and_decision_forms(personas, rating_round, star, score, opinion, comment):
    need_postgresql()
    with one_example():
        branch = personas.tree["branch_a"]
        rate = reverse("ratings:rate_branch", args=[rating_round.pk, branch.pk])
        decide = reverse("ratings:decide", args=[rating_round.pk, branch.pk])
        response = personas.client("committee").post(
            rate,
            {"star": star, "score_political": score, "opinion_role": opinion, "comment": comment},
        )
        assert_not_server_error(response)
        services.close_round(rating_round.pk, personas.user("office"))
        response = personas.client("office").post(decide, {"star": star, "rationale": comment})
        assert_not_server_error(response)
        check_saved(CommitteeRating, StarDecision)


@pytest.mark.postgres
@HEAVY_EXAMPLES
@given(
    secretary=form_values,
    count=form_values,
    day=form_values,
    evidence=form_values,
    star=form_values,
)
def test_star_self_assessment_form(personas, sheets, secretary, count, day, evidence, star):
    need_postgresql()
    with one_example():
        assignment = sheets["star_self_assessment"]
        data = {
            "action": "save",
            "version": "1",
            "secretary": secretary,
            "full_members": count,
            "probationary_members": count,
            "founded_on": day,
            "meeting_date": day,
            "gaps": evidence,
            "self_star": star,
            "answer_1": "yes",
            "evidence_1": evidence,
        }
        response = personas.client("secretary_a").post(detail(assignment), data)
        assert_not_server_error(response, data)
        if response.status_code == 200:
            assert not StarSelfAssessment.objects.exists()
        check_saved(StarSelfAssessment)


@pytest.mark.postgres
@EXAMPLES
@given(
    kind=st.sampled_from(["rectification", "brand_plan"]),
    text=form_values,
    day=form_values,
    count=form_values,
)
def test_row_sheet_forms(personas, sheets, kind, text, day, count):
    need_postgresql()
    with one_example():
        assignment = sheets[kind]
        if kind == "rectification":
            row = {"source": "inspection", "problem": text, "measures": text, "owner": text}
            row |= {"deadline": day, "term": "deadline", "status": "not_started", "position": "1"}
            header = {"notes": text}
        else:
            row = {"measure": text, "milestone": day, "owner": text, "position": "1"}
            header = {"brand_name": text, "member_count": count, "meeting_date": day}
        response = personas.client("secretary_a").post(
            detail(assignment), rows_post([row], header=header)
        )
        assert_not_server_error(response, (row, header))
        if response.status_code == 200:
            assert not RectificationItem.objects.exists() and not BrandPlan.objects.exists()
        check_saved(RectificationItem, BrandPlan)
