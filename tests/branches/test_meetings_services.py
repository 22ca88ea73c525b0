"""Meeting records: attendance per person, quorum and majority of votes (DOMAIN.md §3)."""

from __future__ import annotations

from datetime import date

import pytest

from branches.audit_actions import ACTION_MEETING_CREATED, ACTION_MEETING_RESOLUTION_ADDED
from branches.models import AttendanceStatus, MeetingRecord, MeetingType, Resolution, VoteOutcome
from branches.services import Refused
from branches.services.meetings import AttendanceInput, add_follow_up, add_resolution, save_meeting
from portal.models import AuditEntry
from tests.builders.branch_life import meeting_with_attendance, members

pytestmark = pytest.mark.django_db


def test_attendance_rows_give_the_counts_and_absentee_list(tree):
    meeting = meeting_with_attendance(tree["branch_a"], present=7, absent=3)
    assert (meeting.due_count, meeting.present_count) == (10, 7)
    assert meeting.attendance.count() == 10
    assert (
        meeting.absentees.count("\n") == 2
        and "病" in meeting.absentees
        or "Illness" in meeting.absentees
    )
    assert AuditEntry.objects.filter(action=ACTION_MEETING_CREATED).exists()


def test_attendance_of_someone_from_another_branch_is_refused(tree):
    outsider = members(tree["branch_b"], 1)[0]
    meeting = MeetingRecord(
        branch=tree["branch_a"],
        meeting_type=MeetingType.GROUP_MEETING,
        theme="t",
        date=date(2022, 1, 5),
    )
    with pytest.raises(Refused):
        save_meeting(
            meeting, user=None, attendance=[AttendanceInput(outsider.pk, AttendanceStatus.PRESENT)]
        )
    assert not MeetingRecord.objects.exists()


def test_vote_passes_when_for_exceeds_half_of_voting_members_due(tree):
    meeting = meeting_with_attendance(tree["branch_a"], present=6, absent=4)
    passed = add_resolution(
        meeting, text="接收预备党员", votes_for=6, votes_against=0, votes_abstain=0, user=None
    )
    assert passed.outcome == VoteOutcome.PASSED
    # 5 of 10 due is not more than half: not passed, though all present but one agreed.
    rejected = add_resolution(
        meeting, text="另一议题", votes_for=5, votes_against=1, votes_abstain=0, user=None
    )
    assert rejected.outcome == VoteOutcome.REJECTED


def test_written_opinions_of_absent_members_count_in_the_tally(tree):
    meeting = meeting_with_attendance(tree["branch_a"], present=6, absent=4)
    # 5 of 10 present agree: not more than half of those due... until two absent members'
    # written agreement is counted (DOMAIN §4: written opinions of absent members count).
    passed = add_resolution(
        meeting,
        text="接收预备党员",
        votes_for=5,
        votes_against=1,
        votes_abstain=0,
        written_for=2,
        written_against=1,
        user=None,
    )
    assert passed.outcome == VoteOutcome.PASSED
    assert (passed.written_for, passed.written_against) == (2, 1)
    entry = AuditEntry.objects.filter(action=ACTION_MEETING_RESOLUTION_ADDED).last()
    assert entry.data["written_for"] == 2


def test_written_opinions_never_make_a_quorum_or_outnumber_the_absent(tree):
    no_quorum = meeting_with_attendance(tree["branch_a"], present=5, absent=5)
    with pytest.raises(Refused):
        add_resolution(
            no_quorum,
            text="x",
            votes_for=5,
            votes_against=0,
            votes_abstain=0,
            written_for=5,
            user=None,
        )
    meeting = meeting_with_attendance(tree["branch_b"], present=6, absent=2)
    with pytest.raises(Refused) as refused:
        add_resolution(
            meeting,
            text="x",
            votes_for=4,
            votes_against=0,
            votes_abstain=0,
            written_for=2,
            written_against=1,
            user=None,
        )
    assert "3" in refused.value.messages[0] and "2" in refused.value.messages[0]
    with pytest.raises(Refused):  # written opinions without a vote
        add_resolution(
            meeting,
            text="x",
            votes_for=None,
            votes_against=None,
            votes_abstain=None,
            written_for=1,
            user=None,
        )
    assert not Resolution.objects.exists()


def test_vote_without_quorum_is_blocked_with_the_reason_and_not_saved(tree):
    meeting = meeting_with_attendance(tree["branch_a"], present=5, absent=5)
    with pytest.raises(Refused) as refused:
        add_resolution(
            meeting, text="接收预备党员", votes_for=5, votes_against=0, votes_abstain=0, user=None
        )
    assert "5" in refused.value.messages[0] and "10" in refused.value.messages[0]
    assert not Resolution.objects.exists()


def test_more_votes_than_voters_and_partial_counts_are_refused(tree):
    meeting = meeting_with_attendance(tree["branch_a"], present=6, absent=0)
    with pytest.raises(Refused):
        add_resolution(meeting, text="x", votes_for=6, votes_against=1, votes_abstain=0, user=None)
    with pytest.raises(Refused):
        add_resolution(
            meeting, text="x", votes_for=6, votes_against=None, votes_abstain=0, user=None
        )
    assert (
        add_resolution(
            meeting, text="通报", votes_for=None, votes_against=None, votes_abstain=None, user=None
        ).outcome
        == VoteOutcome.NO_VOTE
    )


def test_probationary_members_do_not_count_for_the_quorum(tree):
    branch = tree["branch_a"]
    meeting = meeting_with_attendance(branch, present=3, absent=3)
    probationary = members(branch, 4, member_type="probationary")
    rows = [
        AttendanceInput(a.person_id, a.status, a.absence_reason) for a in meeting.attendance.all()
    ]
    rows += [AttendanceInput(p.pk, AttendanceStatus.PRESENT) for p in probationary]
    save_meeting(meeting, user=None, attendance=rows)
    assert meeting.present_count == 7
    with pytest.raises(Refused):
        add_resolution(meeting, text="x", votes_for=3, votes_against=0, votes_abstain=0, user=None)


def test_follow_up_before_the_meeting_is_refused(tree):
    meeting = meeting_with_attendance(tree["branch_a"], present=2, absent=0)
    with pytest.raises(Refused):
        add_follow_up(meeting, task="整改", owner="甲", deadline=date(2022, 1, 1), user=None)
    assert add_follow_up(
        meeting, task="整改", owner="甲", deadline=date(2022, 11, 30), user=None
    ).pk


def test_also_counts_as_drops_the_main_type(tree):
    meeting = MeetingRecord(
        branch=tree["branch_a"],
        meeting_type=MeetingType.THEMED_DAY,
        theme="t",
        date=date(2022, 3, 5),
        also_counts_as=["themed_day", "group_meeting"],
    )
    save_meeting(meeting, user=None)
    assert meeting.also_counts_as == ["group_meeting"]
