"""The branch's writing forms (meeting record, motion, follow-up, development steps, probation,
stopping a case, relation case and search attempt, roster add / edit / move) refuse any value
the model would not store with a form error, never a server error, and save nothing then."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from branches.models import (
    CaseStep,
    DevelopmentCase,
    FollowUp,
    MeetingRecord,
    Person,
    RelationCase,
    RelationKind,
    Resolution,
    SearchAttempt,
)
from tests.builders.branch_life import applicant_case, meeting_with_attendance
from tests.extreme_values import (
    EXAMPLES,
    assert_not_server_error,
    form_values,
    need_postgresql,
    one_example,
)

pytestmark = pytest.mark.django_db

BRANCH_MODELS = [
    MeetingRecord,
    Resolution,
    FollowUp,
    DevelopmentCase,
    CaseStep,
    RelationCase,
    SearchAttempt,
    Person,
]


def post_and_check(client, url, data):
    """Post; no server error; whatever the branch's tables hold afterwards is valid."""
    before = {model: model.objects.count() for model in BRANCH_MODELS}
    response = client.post(url, data)
    assert_not_server_error(response, data)
    if response.status_code == 200:  # the form came back with its errors: nothing saved
        assert {model: model.objects.count() for model in BRANCH_MODELS} == before
    for model in BRANCH_MODELS:
        for record in model.objects.all():
            record.clean_fields(exclude=["user", "last_step", "step", "document"])
    return response


def test_training_days_beyond_the_column_are_refused(personas):
    case = applicant_case(personas.tree["branch_a"])
    response = personas.client("secretary_a").post(
        reverse("branches:branch_development_case", args=[case.pk]),
        {"date": "2020-03-10", "training_days": str(10**20)},
    )
    assert response.status_code == 200 and "training_days" in response.context["form"].errors
    assert case.steps.count() == 1


@pytest.mark.postgres
@EXAMPLES
@given(
    day=form_values,
    theme=form_values,
    due=form_values,
    present=form_values,
    place=form_values,
    summary=form_values,
)
def test_meeting_record_form(personas, day, theme, due, present, place, summary):
    need_postgresql()
    with one_example():
        branch = personas.tree["branch_a"]
        data = {
            "meeting_type": "themed_day",
            "theme": theme,
            "date": day,
            "due_count": due,
            "present_count": present,
            "place": place,
            "summary": summary,
        }
        post_and_check(
            personas.client("secretary_a"),
            reverse("branches:branch_meeting_create", args=[branch.pk]),
            data,
        )


@pytest.mark.postgres
@EXAMPLES
@given(
    kind=st.sampled_from(["resolution", "follow_up"]),
    text=form_values,
    first=form_values,
    second=form_values,
)
def test_motion_and_follow_up_forms(personas, kind, text, first, second):
    need_postgresql()
    with one_example():
        meeting = meeting_with_attendance(personas.tree["branch_a"], present=3, absent=0)
        if kind == "resolution":
            url = reverse("branches:branch_meeting_resolution_add", args=[meeting.pk])
            data = {"text": text, "votes_for": first, "votes_against": second, "written_for": first}
        else:
            url = reverse("branches:branch_meeting_follow_up_add", args=[meeting.pk])
            data = {"task": text, "owner": first, "deadline": second}
        post_and_check(personas.client("secretary_a"), url, data)


@pytest.mark.postgres
@EXAMPLES
@given(
    form=st.sampled_from(["new", "step", "extend", "stop"]),
    day=form_values,
    text=form_values,
    number=form_values,
)
def test_development_forms(personas, form, day, text, number):
    need_postgresql()
    with one_example():
        branch = personas.tree["branch_a"]
        case = applicant_case(branch)
        url, data = {
            "new": (
                reverse("branches:branch_development_case_create", args=[branch.pk]),
                {"name": text, "birth_date": day, "date": "2022-10-01", "actor": text},
            ),
            "step": (
                reverse("branches:branch_development_case", args=[case.pk]),
                {"date": day, "actor": text, "note": text, "training_days": number},
            ),
            "extend": (
                reverse("branches:branch_development_case_extend", args=[case.pk]),
                {"extend-months": number, "extend-decided_on": day},
            ),
            "stop": (
                reverse("branches:branch_development_case_stop", args=[case.pk]),
                {"stop-reason": text, "stop-stopped_on": day},
            ),
        }[form]
        post_and_check(personas.client("secretary_a"), url, data)


@pytest.mark.postgres
@EXAMPLES
@given(
    form=st.sampled_from(["case", "attempt"]),
    day=form_values,
    other_day=form_values,
    text=form_values,
)
def test_relation_forms(personas, form, day, other_day, text):
    need_postgresql()
    with one_example():
        branch = personas.tree["branch_a"]
        case = RelationCase.objects.create(
            person=personas.people["member"],
            branch=branch,
            kind=RelationKind.LOST_CONTACT,
            opened_on=date(2022, 1, 1),
        )
        if form == "case":
            url = reverse("branches:branch_relation_case_edit", args=[case.pk])
            data = {
                "person": personas.people["member"].pk,
                "kind": "lost_contact",
                "opened_on": day,
                "last_contact_on": other_day,
                "letter_number": text,
                "destination": text,
                "dues_paid_until": other_day,
            }
        else:
            url = reverse("branches:branch_relation_attempt_add", args=[case.pk])
            data = {"day": day, "method": text, "result": text, "reached": "on"}
        post_and_check(personas.client("secretary_a"), url, data)


@pytest.mark.postgres
@EXAMPLES
@given(
    form=st.sampled_from(["add", "edit", "move"]),
    name=form_values,
    phone=form_values,
    email=form_values,
    day=form_values,
)
def test_roster_forms(personas, form, name, phone, email, day):
    need_postgresql()
    with one_example():
        branch = personas.tree["branch_a"]
        person = Person.objects.create(name="在册", branch=branch)
        data = {
            "name": name,
            "gender": "",
            "birth_date": day,
            "phone": phone,
            "email": email,
            "member_type": "full",
            "joined_on": day,
        }
        url = {
            "add": reverse("branches:branch_person_add", args=[branch.pk]),
            "edit": reverse("branches:branch_person_edit", args=[person.pk]),
            "move": reverse("branches:branch_person_move", args=[person.pk]),
        }[form]
        if form == "move":
            data = {"branch": personas.tree["branch_b"].pk, "day": day, "letter_number": phone}
        post_and_check(personas.client("secretary_a"), url, data)
