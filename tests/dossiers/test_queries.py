"""The dossier reads each part in one queryset: its query count does not grow with records."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import MeetingType
from branches.services.meetings import add_resolution
from dossiers import build
from tests.builders.branch_life import case_up_to, meeting_with_attendance
from tests.builders.surveys import filled_rectification
from tests.builders.tasks import attach_file, form_assignment
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


def _records(personas, month: int) -> None:
    branch = personas.tree["branch_a"]
    meeting = meeting_with_attendance(branch, 5, 1, day=date(2022, month, 20))
    add_resolution(meeting, text="决议", votes_for=5, votes_against=0, votes_abstain=0, user=None)
    meeting_with_attendance(
        branch, 3, 1, meeting_type=MeetingType.APPRAISAL, day=date(2022, month, 21)
    )


def _queries(branch) -> int:
    with CaptureQueriesContext(connection) as captured:
        build.build_docx(branch, 2022, io.BytesIO())
    return len(captured)


def test_query_count_is_the_same_for_more_records(personas):
    branch = personas.tree["branch_a"]
    _records(personas, 3)
    case_up_to(branch, "activist")
    assignment = form_assignment(personas, "rectification")
    filled_rectification(assignment)
    attach_file(assignment)
    few = _queries(branch)

    for month in (4, 5, 6, 7):
        _records(personas, month)
    case_up_to(branch, "introducers")
    filled_rectification(form_assignment(personas, "rectification"), count=4)
    attach_file(form_assignment(personas, "report"))
    many = _queries(branch)
    assert many == few
    assert few <= 30
