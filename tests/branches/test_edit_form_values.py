"""The meeting record's edit form and the form opening a relation case refuse any value the
model would not store with a form error, never a server error, and change nothing then."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from branches.models import MeetingRecord, RelationCase
from tests.branches.test_form_values import post_and_check
from tests.builders.tasks import make_meeting
from tests.extreme_values import EXAMPLES, form_values, need_postgresql, one_example

pytestmark = pytest.mark.django_db


def _rows(model):
    return sorted(model.objects.values_list(), key=lambda row: row[0])


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
def test_meeting_record_edit_form(personas, day, theme, due, present, place, summary):
    need_postgresql()
    with one_example():
        meeting = make_meeting(personas.tree["branch_a"], date=date(2022, 10, 18))
        before = _rows(MeetingRecord)
        response = post_and_check(
            personas.client("secretary_a"),
            reverse("branches:branch_meeting_edit", args=[meeting.pk]),
            {
                "meeting_type": "themed_day",
                "theme": theme,
                "date": day,
                "due_count": due,
                "present_count": present,
                "place": place,
                "summary": summary,
            },
        )
        if response.status_code == 200:
            assert _rows(MeetingRecord) == before


@pytest.mark.postgres
@EXAMPLES
@given(
    kind=st.sampled_from(["lost_contact", "transfer", "abroad", ""]),
    day=form_values,
    other_day=form_values,
    text=form_values,
)
def test_relation_case_create_form(personas, kind, day, other_day, text):
    need_postgresql()
    with one_example():
        response = post_and_check(
            personas.client("secretary_a"),
            reverse("branches:branch_relation_case_create", args=[personas.tree["branch_a"].pk]),
            {
                "person": personas.people["member"].pk,
                "kind": kind,
                "opened_on": day,
                "last_contact_on": other_day,
                "letter_number": text,
                "destination": text,
                "dues_paid_until": other_day,
            },
        )
        if response.status_code == 200:
            assert not RelationCase.objects.exists()
