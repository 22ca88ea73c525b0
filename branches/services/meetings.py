"""Writing meeting records: the record with its attendance, resolutions (quorum and majority
from ``VotingRule``) and follow-ups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit_actions import (
    ACTION_MEETING_CHANGED,
    ACTION_MEETING_CREATED,
    ACTION_MEETING_FOLLOW_UP_ADDED,
    ACTION_MEETING_RESOLUTION_ADDED,
)
from branches.models import (
    AbsenceReason,
    AttendanceStatus,
    FollowUp,
    MeetingAttendance,
    MeetingFile,
    MeetingRecord,
    MemberType,
    Person,
    Resolution,
    VoteOutcome,
    VotingRule,
)
from branches.services import Refused
from portal.audit import log_action


@dataclass(frozen=True)
class AttendanceInput:
    person_id: int
    status: str
    absence_reason: str = ""
    note: str = ""


def attendance_people(branch) -> list[Person]:
    """Who gets an attendance row: the branch's active Party members."""
    return list(Person.objects.filter(branch=branch).active().members().order_by("name", "id"))


@transaction.atomic
def save_meeting(
    meeting: MeetingRecord,
    *,
    user,
    attendance: list[AttendanceInput] | None = None,
    upload=None,
    upload_name: str = "",
) -> MeetingRecord:
    """Save a (new or changed) record; with ``attendance``, its rows replace the old ones and
    the counts and the absentee list are computed from them."""
    created = meeting.pk is None
    if created and meeting.created_by_id is None and user is not None and user.is_authenticated:
        meeting.created_by = user
    meeting.also_counts_as = sorted(set(meeting.also_counts_as or []) - {meeting.meeting_type})
    meeting.save()
    if attendance is not None:
        _replace_attendance(meeting, attendance)
    if upload is not None:
        MeetingFile.objects.create(
            meeting=meeting, file=upload, original_name=upload_name or upload.name, size=upload.size
        )
    log_action(
        meeting,
        ACTION_MEETING_CREATED if created else ACTION_MEETING_CHANGED,
        user=user,
        data={"type": meeting.meeting_type, "date": meeting.date.isoformat()},
    )
    return meeting


def _replace_attendance(meeting: MeetingRecord, rows: list[AttendanceInput]) -> None:
    people = {
        p.pk: p
        for p in Person.objects.filter(branch=meeting.branch_id, pk__in=[r.person_id for r in rows])
    }
    unknown = [r.person_id for r in rows if r.person_id not in people]
    if unknown:
        raise Refused(_("Attendance lists someone who is not in this branch."))
    valid_status = set(AttendanceStatus.values)
    meeting.attendance.all().delete()
    made, absent_lines = [], []
    for row in rows:
        if row.status not in valid_status:
            raise Refused(_("Unknown attendance status."))
        person = people[row.person_id]
        reason = row.absence_reason if row.status == AttendanceStatus.ABSENT else ""
        if row.status == AttendanceStatus.ABSENT and reason not in AbsenceReason.values:
            reason = AbsenceReason.NONE
        made.append(
            MeetingAttendance(
                meeting=meeting,
                person=person,
                status=row.status,
                voting=person.member_type == MemberType.FULL,
                absence_reason=reason,
                note=row.note[:200],
            )
        )
        if row.status == AttendanceStatus.ABSENT:
            label = AbsenceReason(reason).label
            absent_lines.append(f"{person.name} — {label}{'：' + row.note if row.note else ''}")
    MeetingAttendance.objects.bulk_create(made)
    meeting.due_count = sum(1 for a in made if a.status != AttendanceStatus.NOT_DUE)
    meeting.present_count = sum(1 for a in made if a.status == AttendanceStatus.PRESENT)
    meeting.absentees = "\n".join(absent_lines)
    meeting.save(update_fields=["due_count", "present_count", "absentees", "updated_at"])


def voting_counts(meeting: MeetingRecord) -> tuple[int, int]:
    """(voting members due to attend, voting members present), from the attendance rows."""
    rows = list(meeting.attendance.filter(voting=True).exclude(status=AttendanceStatus.NOT_DUE))
    return len(rows), sum(1 for r in rows if r.status == AttendanceStatus.PRESENT)


def vote_outcome(
    meeting: MeetingRecord,
    votes_for: int,
    against: int,
    abstain: int,
    written_for: int = 0,
    written_against: int = 0,
) -> str:
    """Passed or not; raises ``Refused`` with the reason when the vote cannot be valid.

    Opinions given in writing by absent voting members count in the tally, never towards the
    quorum, which is counted from those present.
    """
    due, present = voting_counts(meeting)
    if due == 0:
        raise Refused(
            _("Record the attendance first: the quorum is counted from the voting members present.")
        )
    if votes_for + against + abstain > present:
        raise Refused(
            _("%(votes)s votes were cast but only %(present)s voting members attended.")
            % {"votes": votes_for + against + abstain, "present": present}
        )
    if written_for + written_against > due - present:
        raise Refused(
            _(
                "%(written)s written opinions were counted but only %(absent)s voting members "
                "were absent."
            )
            % {"written": written_for + written_against, "absent": due - present}
        )
    rule = VotingRule.objects.filter(meeting_type=meeting.meeting_type).first()
    quorum = rule.quorum_share if rule else Decimal("0.5")
    majority = rule.majority_share if rule else Decimal("0.5")
    if not present > quorum * due:
        raise Refused(
            _(
                "Vote blocked: the meeting has no quorum. %(present)s of %(due)s voting members "
                "attended; more than %(need)s must attend for a vote to be valid."
            )
            % {"present": present, "due": due, "need": _share_text(quorum, due)}
        )
    passed = votes_for + written_for > majority * due
    return VoteOutcome.PASSED if passed else VoteOutcome.REJECTED


def _share_text(share: Decimal, due: int) -> str:
    value = share * due
    return str(value.normalize()) if value != value.to_integral() else str(int(value))


@transaction.atomic
def add_resolution(
    meeting: MeetingRecord,
    *,
    text: str,
    votes_for: int | None,
    votes_against: int | None,
    votes_abstain: int | None,
    user,
    written_for: int | None = None,
    written_against: int | None = None,
) -> Resolution:
    votes = [votes_for, votes_against, votes_abstain]
    written_for, written_against = written_for or 0, written_against or 0
    if any(v is not None for v in votes) and any(v is None for v in votes):
        raise Refused(_("Enter all three vote counts (for, against, abstain) or none."))
    outcome = VoteOutcome.NO_VOTE
    if votes_for is not None:
        outcome = vote_outcome(
            meeting, votes_for, votes_against, votes_abstain, written_for, written_against
        )
    elif written_for or written_against:
        raise Refused(_("Written opinions are counted with a vote: enter the vote counts too."))
    resolution = Resolution.objects.create(
        meeting=meeting,
        text=text,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        written_for=written_for,
        written_against=written_against,
        outcome=outcome,
    )
    log_action(
        meeting,
        ACTION_MEETING_RESOLUTION_ADDED,
        user=user,
        data={
            "text": text,
            "for": votes_for,
            "against": votes_against,
            "written_for": written_for,
            "written_against": written_against,
            "outcome": outcome,
        },
    )
    return resolution


@transaction.atomic
def add_follow_up(
    meeting: MeetingRecord, *, task: str, owner: str, deadline: date, user
) -> FollowUp:
    if deadline < meeting.date:
        raise Refused(_("The follow-up deadline is before the meeting."))
    follow_up = FollowUp.objects.create(meeting=meeting, task=task, owner=owner, deadline=deadline)
    log_action(
        meeting,
        ACTION_MEETING_FOLLOW_UP_ADDED,
        user=user,
        data={"task": task, "owner": owner, "deadline": deadline.isoformat()},
    )
    return follow_up
