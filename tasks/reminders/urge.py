"""催办: the office's urge goes out at once as a reminder row of kind "urge".

The row is created already claimed inside the urge step's transaction, and its send job is
queued in the same transaction through the database outbox (``portal.outbox``), published
within seconds while the broker answers. If the message is lost later the sweep re-queues the
row: an urge is never silently dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal import outbox
from portal.audit import log_action
from tasks.models import (
    OPEN_STATUSES,
    Assignment,
    Reminder,
    ReminderKind,
    ReminderStatus,
    TaskItem,
    UrgeRecord,
    local_today,
)
from tasks.reminders.policy import current_policy, hold_until_allowed, in_quiet_hours

logger = logging.getLogger("tasks.reminders")


def publish_claimed(ids: list[int]) -> int:
    """Queue one send job per claimed row; on a broker failure give the rest back."""
    from tasks.jobs import send_reminder
    from tasks.reminders import release_unpublished

    for index, pk in enumerate(ids):
        try:
            send_reminder.delay(pk)
        except (OperationalError, ConnectionError, OSError) as exc:
            released = release_unpublished(ids[index:])
            logger.warning("broker unavailable, %s reminders handed back: %s", released, exc)
            return index
    return len(ids)


def _urge_row(record: UrgeRecord, assignment: Assignment, now: datetime) -> Reminder:
    """The unsaved urge row: claimed now, or held to the end of quiet hours (an urge pressed
    late in the evening waits for the morning like every other reminder)."""
    policy = current_policy()
    held = in_quiet_hours(now, policy)
    day = local_today(now)
    return Reminder(
        assignment=assignment,
        kind=ReminderKind.URGE,
        # One row per press: UrgeRecord already allows one press per branch, item and day.
        slot=f"urge:{record.pk}",
        deadline=assignment.due_date,
        offset=(assignment.due_date - day).days,
        due_at=hold_until_allowed(now, policy),
        status=ReminderStatus.PLANNED if held else ReminderStatus.QUEUED,
        claimed_at=None if held else now,
    )


def _publish_on_commit(rows: Iterable[Reminder]) -> None:
    # Through the outbox, in the urge's transaction: the request never waits for the broker.
    for pk in [r.pk for r in rows if r.status == ReminderStatus.QUEUED and r.pk]:
        outbox.enqueue("tasks.send_reminder", pk)


def enqueue_urge(record: UrgeRecord, *, now: datetime | None = None) -> Reminder:
    """Called inside the urge step's transaction, right after its UrgeRecord was created."""
    row = _urge_row(record, record.assignment, now or timezone.now())
    row.save(force_insert=True)
    _publish_on_commit([row])
    return row


@dataclass(frozen=True)
class UrgeAllResult:
    urged: int
    already: int


@transaction.atomic
def urge_all_missing(item: TaskItem, user, assignments, *, now: datetime | None = None):
    """Urge every branch that still owes ``item`` and was not urged today.

    ``assignments`` is the caller's reviewable scope (tasks.access); rows outside it are never
    touched. Locks the rows so a concurrent single urge cannot slip between check and insert.
    """
    now = now or timezone.now()
    today = local_today(now)
    rows = list(
        assignments.filter(item=item, status__in=OPEN_STATUSES)
        .select_for_update(of=("self",))
        .select_related("item", "branch")
        .order_by("pk")
    )
    done = set(
        UrgeRecord.objects.filter(assignment__in=rows, urged_on=today).values_list(
            "assignment_id", flat=True
        )
    )
    todo = [a for a in rows if a.pk not in done]
    records = UrgeRecord.objects.bulk_create(
        [UrgeRecord(assignment=a, urged_by=user, urged_at=now, urged_on=today) for a in todo]
    )
    if records and records[0].pk is None:
        # Backends that do not return ids from a bulk insert: read them back.
        records = list(UrgeRecord.objects.filter(assignment__in=todo, urged_on=today))
    by_assignment = {a.pk: a for a in todo}
    for assignment in todo:
        log_action(
            assignment,
            "tasks.assignment.urged",
            user=user,
            data={"from": assignment.status, "to": assignment.status, "comment": "", "all": True},
        )
    reminders = Reminder.objects.bulk_create(
        [_urge_row(r, by_assignment[r.assignment_id], now) for r in records]
    )
    if reminders and reminders[0].pk is None:
        reminders = list(
            Reminder.objects.filter(
                kind=ReminderKind.URGE, slot__in=[f"urge:{r.pk}" for r in records]
            )
        )
    _publish_on_commit(reminders)
    return UrgeAllResult(urged=len(todo), already=len(done))
