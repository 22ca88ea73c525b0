"""Development checks added as data (DOMAIN.md §4): one or two cultivation contacts, the
six-monthly review, leaving within three months, the general meeting's vote from its record."""

from __future__ import annotations

from datetime import date

import pytest

from branches.models import MeetingRecord, MeetingType, Resolution, VoteOutcome
from branches.services import Refused
from branches.services.development_checks import case_warnings
from tests.builders.branch_life import advance, applicant_case, case_up_to, members

pytestmark = pytest.mark.django_db


def _activist(tree):
    case = applicant_case(tree["branch_a"], applied=date(2020, 3, 1))
    advance(case, "talk", date(2020, 3, 15))
    advance(case, "activist", date(2020, 10, 1))
    advance(case, "activist_filed", date(2020, 10, 10))
    return case


def test_one_or_two_contacts_pass(tree):
    case = _activist(tree)
    taken = advance(case, "contacts", date(2020, 10, 20), people=members(tree["branch_a"], 2))
    assert taken.warnings == []


@pytest.mark.parametrize("count", [0, 3])
def test_no_contact_or_three_contacts_warn(tree, count):
    case = _activist(tree)
    taken = advance(case, "contacts", date(2020, 10, 20), people=members(tree["branch_a"], count))
    assert taken.warnings


def test_the_cultivation_review_is_due_six_months_after_the_last(tree):
    case = _activist(tree)
    advance(case, "contacts", date(2020, 10, 20), people=members(tree["branch_a"], 1))
    assert case_warnings(case, date(2021, 4, 19)) == []
    assert case_warnings(case, date(2021, 4, 20))
    advance(case, "cultivation", date(2021, 4, 1))
    assert case_warnings(case, date(2021, 9, 30)) == []
    assert case_warnings(case, date(2021, 10, 1))


def _leaving(tree, leave_on):
    case = case_up_to(tree["branch_a"], "committee_review")
    case.expected_leave_on = leave_on
    case.save()
    return advance(case, "pre_review", date(2021, 11, 25))


def test_leaving_exactly_three_months_after_the_pre_review_warns(tree):
    assert _leaving(tree, date(2022, 2, 25)).warnings


def test_leaving_later_does_not_warn(tree):
    assert _leaving(tree, date(2022, 2, 26)).warnings == []


def _vote(branch, name, outcome, day=date(2021, 12, 10)):
    meeting = MeetingRecord.objects.create(
        branch=branch, meeting_type=MeetingType.GENERAL_MEETING, theme="党员大会", date=day
    )
    return Resolution.objects.create(
        meeting=meeting, text=f"接收{name}为预备党员", votes_for=9, votes_against=1, outcome=outcome
    )


def test_the_branch_meeting_step_records_the_vote_of_the_meeting(tree):
    case = case_up_to(tree["branch_a"], "application_form")
    resolution = _vote(tree["branch_a"], case.person.name, VoteOutcome.PASSED)
    taken = advance(case, "branch_meeting", date(2021, 12, 10))
    assert taken.resolution == resolution and taken.warnings == []


def test_a_rejected_vote_blocks_the_step(tree):
    case = case_up_to(tree["branch_a"], "application_form")
    _vote(tree["branch_a"], case.person.name, VoteOutcome.REJECTED)
    with pytest.raises(Refused):
        advance(case, "branch_meeting", date(2021, 12, 10))


def test_no_meeting_record_warns(tree):
    case = case_up_to(tree["branch_a"], "application_form")
    taken = advance(case, "branch_meeting", date(2021, 12, 10))
    assert taken.resolution is None and taken.warnings
