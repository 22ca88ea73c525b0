"""The service-survey sheet in the browser and the office's answer to a concern that needs the
institute refuse any value the model would not store with a form error, never a server error,
and change nothing then."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from surveys.models import Concern, ServiceSurvey
from tests.builders.surveys import submitted_survey
from tests.builders.tasks import form_assignment
from tests.extreme_values import (
    EXAMPLES,
    assert_not_server_error,
    form_values,
    need_postgresql,
    one_example,
)
from tests.surveys.helpers import detail, rows_post

pytestmark = pytest.mark.django_db


def _rows():
    return sorted(Concern.objects.values_list(), key=lambda row: row[0])


def _check_saved():
    for concern in Concern.objects.all():
        concern.clean_fields(exclude=["sheet", "office_recorded_by"])
    for sheet in ServiceSurvey.objects.all():
        sheet.clean_fields(exclude=["assignment"])


@pytest.mark.postgres
@EXAMPLES
@given(
    day=form_values,
    other_day=form_values,
    text=form_values,
    choice=st.one_of(st.sampled_from(["forum", "research", "institute", ""]), form_values),
)
def test_service_survey_sheet_form(personas, day, other_day, text, choice):
    need_postgresql()
    with one_example():
        assignment = form_assignment(personas, "service_survey")
        row = {
            "date": day,
            "method": "forum",
            "people": text,
            "concern": text,
            "category": "research",
            "suggestion": text,
            "solver": choice if choice in ("", "branch", "institute") else "institute",
            "sent_on": other_day,
            "handling": choice if choice in ("", "immediate") else "deadline",
            "owner": text,
            "deadline": other_day,
            "progress": text,
            "result": text,
            "told_on": day,
            "told_channel": text,
            "satisfaction": "",
            "closed_on": other_day,
            "position": "1",
        }
        response = personas.client("secretary_a").post(
            detail(assignment), rows_post([row], header={"notes": text})
        )
        assert_not_server_error(response, row)
        if response.status_code == 200:
            assert not Concern.objects.exists()
        _check_saved()


@pytest.mark.postgres
@EXAMPLES
@given(department=form_values, result=form_values, day=form_values, channel=form_values)
def test_concern_answer_form(personas, department, result, day, channel):
    need_postgresql()
    with one_example():
        concern = submitted_survey(personas).rows.get()
        before = _rows()
        response = personas.client("office").post(
            reverse("surveys:concern_answer", args=[concern.pk]),
            {
                "office_department": department,
                "office_result": result,
                "office_told_on": day,
                "office_told_channel": channel,
            },
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert _rows() == before
        _check_saved()
