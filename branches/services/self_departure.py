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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils import timezone

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

#: ``provider(people, since, today)`` → {person pk: PAID, UNPAID or UNKNOWN} for the members
#: whose dues it keeps (a member left out is UNKNOWN): all of a branch in a few queries.
DuesStatus = Callable[[Sequence[Person], date, date], dict[int, str]]
_dues_providers: list[DuesStatus] = []


def register_dues_status(provider: DuesStatus) -> DuesStatus:
    """The app that keeps the dues answers ``dues_statuses`` (registered once at start)."""
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


def dues_statuses(people: Sequence[Person], since: date, today: date) -> dict[int, str]:
    """Whether each member paid dues after ``since`` up to ``today``: "paid", "unpaid" or
    "unknown", by person pk.

    The first registered provider with a definite answer decides; without one (no dues kept,
    or none for this member) the answer is "unknown", which neither raises nor clears the flag.
    """
    answers = {person.pk: UNKNOWN for person in people}
    for provider in _dues_providers:
        undecided = [person for person in people if answers[person.pk] == UNKNOWN]
        if not undecided:
            break
        for pk, answer in provider(undecided, since, today).items():
            answers[pk] = answer
    return answers


def dues_status(person: Person, since: date, today: date) -> str:
    """``dues_statuses`` of one member."""
    return dues_statuses([person], since, today)[person.pk]


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


def _life_dates(people: Sequence[Person], today: date, since: date) -> dict[int, tuple]:
    """(last meeting attended or properly excused, meetings missed since ``since``) by person
    pk, from one query."""
    found: dict[int, tuple] = {person.pk: (None, 0) for person in people}
    rows = MeetingAttendance.objects.filter(person__in=people, meeting__date__lte=today)
    for pk, day, status, reason in rows.values_list(
        "person_id", "meeting__date", "status", "absence_reason"
    ):
        last, missed = found[pk]
        if status == AttendanceStatus.PRESENT or (
            status == AttendanceStatus.ABSENT and reason in PROPER_ABSENCE_REASONS
        ):
            last = max(last, day) if last else day
        elif status == AttendanceStatus.ABSENT and day > since:
            missed += 1
        found[pk] = (last, missed)
    return found


def _with_proper_relation(people: Sequence[Person], since: date) -> set[int]:
    return set(
        RelationCase.objects.open()
        .filter(person__in=people, kind__in=PROPER_RELATION_KINDS, last_contact_on__gt=since)
        .values_list("person_id", flat=True)
    )


def _last_work(people: Sequence[Person]) -> dict[int, date]:
    """The day of each member's last submission to the office, by user id, from one query."""
    users = [person.user_id for person in people if person.user_id is not None]
    if not users:
        return {}
    rows = (
        AuditEntry.objects.filter(user_id__in=users, action__startswith=WORK_ACTION_PREFIX)
        .values("user_id")
        .annotate(last=Max("created_at"))
    )
    return {row["user_id"]: timezone.localdate(row["last"]) for row in rows}


def check_members(people: Sequence[Person], today: date, months: int) -> list[SelfDeparture]:
    """The members of ``people`` who meet the condition on ``today``, in a fixed number of
    queries whatever their number."""
    people = list(people)
    since = add_months(today, -months)
    life = _life_dates(people, today, since)
    work = _last_work(people)
    dues = dues_statuses(people, since, today)
    excused = _with_proper_relation(people, since)
    found = []
    for person in people:
        last, missed = life[person.pk]
        candidates = [d for d in (last, work.get(person.user_id), person.joined_on) if d]
        last_activity = max(candidates) if candidates else None
        no_life = missed > 0 and (last_activity is None or last_activity <= since)
        if not no_life and dues[person.pk] != UNPAID:
            continue
        if person.pk in excused:
            continue
        found.append(
            SelfDeparture(person, last_activity, missed if no_life else 0, dues[person.pk])
        )
    return found


def check_member(person: Person, today: date, months: int) -> SelfDeparture | None:
    found = check_members([person], today, months)
    return found[0] if found else None


def self_departures(branch, today: date) -> list[SelfDeparture]:
    """Active members of ``branch`` who meet the 自行脱党 condition on ``today``."""
    months = rule_values()["self_departure_months"]
    return check_members(Person.objects.active().members().filter(branch=branch), today, months)


def lapsed_dues(today: date) -> list[SelfDeparture]:
    """Members of every branch who paid no dues for the rule's months on ``today``, without a
    proper reason and without an open relation case (whose own flag carries it): what the
    branch-life reminders tell the branch about, beside the relation flags."""
    months = rule_values()["self_departure_months"]
    since = add_months(today, -months)
    found = []
    for provider in _lapsed_providers:
        people = provider(since, today)
        # An open case of any kind carries its own flag (and a proper one excuses).
        with_case = set(
            RelationCase.objects.open()
            .filter(person__in=people)
            .values_list("person_id", flat=True)
        )
        found += [
            SelfDeparture(person, None, 0, UNPAID)
            for person in people
            if person.pk not in with_case
        ]
    return found
