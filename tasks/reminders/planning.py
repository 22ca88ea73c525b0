"""Planning deadline reminders: an assignment's unsent rows kept in step with its deadline.

Planning is called from every step that changes an assignment's effective deadline or state
(publish, extension, deadline change, submit, approve, return, withdraw) and is idempotent.
Other apps remind people through the same rows: ``plan_person_reminder`` plans one message to
one person under a key of the caller's choosing (branch life: relation flags, development
steps due), claimed, sent and retried by the same pass as the deadline reminders
(``tasks.reminders.claiming``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from tasks.models import (
    Assignment,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
)
from tasks.reminders.policy import (
    at_send_hour,
    current_policy,
    hold_until_allowed,
    wants_reminders,
)

Key = tuple[int, str, str]  # (assignment id, kind, slot): one planned reminder


@dataclass(frozen=True)
class Slot:
    kind: str
    slot: str
    deadline: date
    offset: int  # days before the deadline day; negative once overdue
    due_at: datetime


def slots_for(deadline: date, policy: ReminderPolicy) -> list[Slot]:
    """Every reminder the policy wants for a deadline day, past ones included."""
    slots = [
        Slot(
            ReminderKind.BEFORE,
            f"{deadline.isoformat()}:{days}",
            deadline,
            days,
            at_send_hour(deadline - timedelta(days=days), policy),
        )
        for days in sorted({int(d) for d in policy.days_before if int(d) >= 0}, reverse=True)
    ]
    interval = max(1, policy.overdue_interval_days)
    for number in range(1, policy.overdue_max_count + 1):
        days_after = number * interval
        slots.append(
            Slot(
                ReminderKind.OVERDUE,
                f"{deadline.isoformat()}:+{number}",
                deadline,
                -days_after,
                at_send_hour(deadline + timedelta(days=days_after), policy),
            )
        )
    return slots


def _existing(rows: list[Assignment]) -> dict[Key, Reminder]:
    return {
        (r.assignment_id, r.kind, r.slot): r
        # Urges are pressed by the office, not planned from the deadline: left alone here.
        for r in Reminder.objects.filter(assignment__in=rows)
        .exclude(kind=ReminderKind.URGE)
        .only("id", "assignment_id", "kind", "slot", "status", "claimed_at", "due_at")
    }


def _slots_of(
    rows: list[Assignment], open_ids: set[int], policy: ReminderPolicy, now: datetime
) -> tuple[set[Key], dict[Key, tuple[Assignment, Slot]]]:
    """Every slot of the current deadlines, and those of them still to come."""
    planned: set[Key] = set()
    wanted: dict[Key, tuple[Assignment, Slot]] = {}
    for assignment in rows:
        # No fixed deadline: nothing to remind of (the office can still urge).
        if assignment.pk in open_ids and assignment.due_date is not None:
            for slot in slots_for(assignment.due_date, policy):
                key = (assignment.pk, slot.kind, slot.slot)
                planned.add(key)
                if slot.due_at > now:
                    wanted[key] = (assignment, slot)
    return planned, wanted


def _drop_unwanted(existing: dict[Key, Reminder], open_ids: set[int], planned: set[Key]) -> None:
    """Cancel the pending rows of assignments that owe nothing now; delete those of moved
    deadlines (they never went out, so no history is lost)."""
    pending = {
        key: r
        for key, r in existing.items()
        if r.claimed_at is None and r.status == ReminderStatus.PLANNED
    }
    cancel = [r.pk for r in pending.values() if r.assignment_id not in open_ids]
    delete = [
        r.pk for key, r in pending.items() if r.assignment_id in open_ids and key not in planned
    ]
    if cancel:
        Reminder.objects.filter(pk__in=cancel, claimed_at=None).update(
            status=ReminderStatus.CANCELLED
        )
    if delete:
        Reminder.objects.filter(pk__in=delete, claimed_at=None).delete()


def _revive(existing: dict[Key, Reminder], wanted: dict[Key, tuple[Assignment, Slot]]) -> None:
    """A returned submission owes work again: its cancelled future rows come back."""
    revive = [
        r.pk
        for key, r in existing.items()
        if key in wanted and r.status == ReminderStatus.CANCELLED and r.claimed_at is None
    ]
    if revive:
        Reminder.objects.filter(pk__in=revive).update(status=ReminderStatus.PLANNED)


@transaction.atomic
def plan_for_assignments(
    assignments: Iterable[Assignment] | None = None,
    *,
    ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Bring the unsent rows of these assignments in step with deadline and state.

    Planned rows no longer wanted (moved deadline) are deleted: they never went out, so no
    history is lost. Rows of an assignment that no longer owes work are cancelled and kept,
    so the office sees what was stopped. Returns the number of rows created.
    """
    now = now or timezone.now()
    policy = current_policy()
    if ids is None:
        ids = [a.pk for a in assignments or ()]
    rows = list(Assignment.objects.filter(pk__in=list(ids)).select_related("item__area__notice"))
    if not rows:
        return 0
    existing = _existing(rows)
    open_ids = {a.pk for a in rows if wants_reminders(a)}
    planned, wanted = _slots_of(rows, open_ids, policy, now)
    _drop_unwanted(existing, open_ids, planned)
    _revive(existing, wanted)
    new = [
        Reminder(
            assignment=assignment,
            kind=slot.kind,
            slot=slot.slot,
            deadline=slot.deadline,
            offset=slot.offset,
            due_at=slot.due_at,
        )
        for key, (assignment, slot) in wanted.items()
        if key not in existing
    ]
    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)


def plan_reminders(assignment: Assignment | int, *, now: datetime | None = None) -> int:
    """Plan (or re-plan, or cancel) one assignment's reminders; safe to call any number of
    times."""
    pk = assignment if isinstance(assignment, int) else assignment.pk
    return plan_for_assignments(ids=[pk], now=now)


def plan_reminders_for_items(item_ids: Iterable[int], *, now: datetime | None = None) -> int:
    ids = Assignment.objects.filter(item_id__in=list(item_ids)).values_list("pk", flat=True)
    return plan_for_assignments(ids=list(ids), now=now)


def plan_person_reminder(
    person,
    *,
    key: str,
    title: str,
    body: str,
    link: str,
    due_at: datetime,
) -> bool:
    """Plan one branch-life message to ``person``, at most once per ``key``.

    The key is the row's slot under the per-person unique constraint, so planning it again (a
    second run of the day, a redelivered job) finds the row and changes nothing, even once it
    is sent; a caller that wants a repeat puts the period in the key. Held past quiet hours.
    Returns True when a row was created.
    """
    due_at = hold_until_allowed(due_at, current_policy())
    _row, created = Reminder.objects.get_or_create(
        assignment=None,
        person=person,
        kind=ReminderKind.BRANCH_LIFE,
        slot=key[:100],
        defaults={
            "title": title[:200],
            "body": body[:500],
            "link": link[:300],
            "deadline": timezone.localtime(due_at).date(),
            "offset": 0,
            "due_at": due_at,
        },
    )
    return created


def reminders_of(assignment: Assignment) -> list[Reminder]:
    """The assignment's reminders with their deliveries, for the office (two queries)."""
    return list(
        Reminder.objects.filter(assignment=assignment)
        .prefetch_related("deliveries__person")
        .order_by("due_at", "id")
    )
