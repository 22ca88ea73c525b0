"""自行脱党 (党章 art. 9, DOMAIN.md §5): six consecutive months without organisational life,
dues or assigned work, without a proper reason. The portal flags it; the general meeting
decides.

What counts (``LifeRule`` ``self_departure_months``, six by default):

* organisational life: being present at a meeting of the branch;
* work: a submission to the office (an audited ``tasks.assignment.submit…`` by the member's
  login);
* dues: asked of the app that keeps them through ``register_dues_status`` (branches imports
  no such app); with none registered, or for a member whose dues it does not keep,
  ``dues_status`` answers "unknown", which neither raises nor clears the flag;
* a proper reason: an absence with one of ``PROPER_ABSENCE_REASONS`` within the months, or an
  open mobile / abroad relation case with contact within the months.

The charter names each on its own (art. 9: no organisational life, *or* no dues, *or* no
work). A member is flagged when no organisational life or work happened within the months (the
months counted from the last of them, or from joining) and the member missed at least one
meeting without a proper reason meanwhile — a branch that held no meeting does not make its
members leave; or when the dues keeper answers "unpaid" (nothing paid for the months). Either
way a proper reason clears the flag.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from branches.models import (
    AbsenceReason,
    AttendanceStatus,
    MeetingAttendance,
    Person,
    RelationCase,
    RelationKind,
)
from branches.services import add_months
from branches.services.life_rules import rule_values
from portal.models import AuditEntry

#: Absences with these reasons are for a proper reason; "other" and "none" are not.
PROPER_ABSENCE_REASONS = frozenset(
    {AbsenceReason.BUSINESS, AbsenceReason.ILLNESS, AbsenceReason.LEAVE, AbsenceReason.ABROAD}
)
#: Open relation cases of these kinds, with contact within the months, are a proper reason.
PROPER_RELATION_KINDS = frozenset({RelationKind.MOBILE, RelationKind.ABROAD})
#: Audited actions that are work submitted by the member.
WORK_ACTION_PREFIX = "tasks.assignment.submit"


PAID = "paid"
UNPAID = "unpaid"
UNKNOWN = "unknown"

#: ``provider(person, since, today)`` → PAID, UNPAID or UNKNOWN.
DuesStatus = Callable[[Person, date, date], str]
_dues_providers: list[DuesStatus] = []


def register_dues_status(provider: DuesStatus) -> DuesStatus:
    """The app that keeps the dues answers ``dues_status`` (registered once at start)."""
    if provider not in _dues_providers:
        _dues_providers.append(provider)
    return provider


#: ``provider(since, today)`` → the active members (any branch) who paid no dues after
#: ``since`` up to ``today`` though dues were owed: ``dues_status`` of all at once.
LapsedDues = Callable[[date, date], list[Person]]
_lapsed_providers: list[LapsedDues] = []


def register_lapsed_dues(provider: LapsedDues) -> LapsedDues:
    """The app that keeps the dues lists the members who paid nothing (for the reminders)."""
    if provider not in _lapsed_providers:
        _lapsed_providers.append(provider)
    return provider


def dues_status(person: Person, since: date, today: date) -> str:
    """Whether the member paid dues after ``since`` up to ``today``: "paid", "unpaid" or
    "unknown".

    The first registered provider with a definite answer decides; without one (no dues kept,
    or none for this member) the answer is "unknown", which neither raises nor clears the flag.
    """
    for provider in _dues_providers:
        answer = provider(person, since, today)
        if answer != UNKNOWN:
            return answer
    return UNKNOWN


@dataclass(frozen=True)
class SelfDeparture:
    person: Person
    last_activity: date | None
    missed: int
    dues: str

    @property
    def no_life(self) -> bool:
        """Flagged for organisational life and work (``missed`` meetings), not only dues."""
        return self.missed > 0


def _last_dates(person: Person, today: date, since: date) -> tuple[date | None, int]:
    last, missed = None, 0
    rows = MeetingAttendance.objects.filter(person=person, meeting__date__lte=today).values_list(
        "meeting__date", "status", "absence_reason"
    )
    for day, status, reason in rows:
        if status == AttendanceStatus.PRESENT or (
            status == AttendanceStatus.ABSENT and reason in PROPER_ABSENCE_REASONS
        ):
            last = max(last, day) if last else day
        elif status == AttendanceStatus.ABSENT and day > since:
            missed += 1
    return last, missed


def _has_proper_relation(person: Person, since: date) -> bool:
    return (
        RelationCase.objects.open()
        .filter(person=person, kind__in=PROPER_RELATION_KINDS, last_contact_on__gt=since)
        .exists()
    )


def _last_work(person: Person) -> date | None:
    if person.user_id is None:
        return None
    entry = (
        AuditEntry.objects.filter(user_id=person.user_id, action__startswith=WORK_ACTION_PREFIX)
        .order_by("-created_at")
        .first()
    )
    return entry.created_at.date() if entry else None


def check_member(person: Person, today: date, months: int) -> SelfDeparture | None:
    since = add_months(today, -months)
    last, missed = _last_dates(person, today, since)
    candidates = [d for d in (last, _last_work(person), person.joined_on) if d is not None]
    last_activity = max(candidates) if candidates else None
    no_life = missed > 0 and (last_activity is None or last_activity <= since)
    dues = dues_status(person, since, today)
    if not no_life and dues != UNPAID:
        return None
    if _has_proper_relation(person, since):
        return None
    return SelfDeparture(person, last_activity, missed if no_life else 0, dues)


def self_departures(branch, today: date) -> list[SelfDeparture]:
    """Active members of ``branch`` who meet the 自行脱党 condition on ``today``."""
    months = rule_values()["self_departure_months"]
    found = []
    for person in Person.objects.active().members().filter(branch=branch):
        flagged = check_member(person, today, months)
        if flagged is not None:
            found.append(flagged)
    return found


def lapsed_dues(today: date) -> list[SelfDeparture]:
    """Members of every branch who paid no dues for the rule's months on ``today``, without a
    proper reason and without an open relation case (whose own flag carries it): what the
    branch-life reminders tell the branch about, beside the relation flags."""
    months = rule_values()["self_departure_months"]
    since = add_months(today, -months)
    found = []
    for provider in _lapsed_providers:
        for person in provider(since, today):
            if RelationCase.objects.open().filter(person=person).exists():
                continue
            if _has_proper_relation(person, since):
                continue
            found.append(SelfDeparture(person, None, 0, UNPAID))
    return found
