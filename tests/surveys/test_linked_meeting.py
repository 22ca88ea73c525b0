"""A form item that asks for a meeting record beside its rows (the seed's item 二: a 支委会 on
the rectification list): the branch links its record on the form, and cannot hand in without."""

from __future__ import annotations

import pytest

from branches.models import MeetingType
from tasks.models import AssignmentStatus
from tests.builders.tasks import form_assignment, make_meeting
from tests.clock import WORKDAY_MORNING
from tests.surveys.helpers import detail, rows_post
from tests.surveys.test_rectification_form import GOOD as FILLED

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)

GOOD = {**FILLED, "position": "1"}


@pytest.fixture(autouse=True)
def _english_pages(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def assignment(personas):
    return form_assignment(
        personas, "rectification", required_meeting_type=MeetingType.COMMITTEE_MEETING
    )


def test_the_form_lists_only_the_branch_s_records_of_the_type(personas, assignment):
    own = make_meeting(personas.tree["branch_a"], meeting_type=MeetingType.COMMITTEE_MEETING)
    other_type = make_meeting(personas.tree["branch_a"], meeting_type=MeetingType.THEMED_DAY)
    other_branch = make_meeting(
        personas.tree["branch_b"], meeting_type=MeetingType.COMMITTEE_MEETING
    )
    html = personas.client("secretary_a").get(detail(assignment)).content.decode()
    assert f'value="{own.pk}"' in html
    assert f'value="{other_type.pk}"' not in html
    assert f'value="{other_branch.pk}"' not in html


def test_handing_in_needs_the_linked_record(personas, assignment):
    client = personas.client("secretary_a")
    response = client.post(detail(assignment), rows_post([GOOD], action="submit"))
    assert "Link the Branch committee meeting (支委会) record" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status != AssignmentStatus.SUBMITTED

    meeting = make_meeting(personas.tree["branch_a"], meeting_type=MeetingType.COMMITTEE_MEETING)
    data = rows_post([GOOD], action="submit", version=assignment.version)
    data["m-meetings"] = [str(meeting.pk)]
    assert client.post(detail(assignment), data).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert list(assignment.meetings.all()) == [meeting]
    # The office sees the linked record on the read-only page.
    html = personas.client("office").get(detail(assignment)).content.decode()
    assert meeting.theme in html


def test_another_branch_s_record_cannot_be_linked(personas, assignment):
    foreign = make_meeting(personas.tree["branch_b"], meeting_type=MeetingType.COMMITTEE_MEETING)
    data = rows_post([GOOD])
    data["m-meetings"] = [str(foreign.pk)]
    personas.client("secretary_a").post(detail(assignment), data)
    assert not assignment.meetings.exists()


def test_an_item_without_the_requirement_has_no_picker(personas):
    plain = form_assignment(personas, "rectification")
    html = personas.client("secretary_a").get(detail(plain)).content.decode()
    assert 'name="m-meetings"' not in html
