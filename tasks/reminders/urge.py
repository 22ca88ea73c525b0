"""催办: the office's urge goes out at once as a reminder row of kind "urge".

The row is created already claimed inside the urge step's transaction (``tasks.services.urge``
and ``urge_all_missing``), and its send job is queued in the same transaction through the
database outbox (``portal.outbox``), published within seconds while the broker answers. If the
message is lost later the sweep re-queues the row: an urge is never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import outbox
from tasks.models import (
    Assignment,
    Reminder,
    ReminderKind,
    ReminderStatus,
    UrgeRecord,
    local_today,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.policy import current_policy, hold_until_allowed, in_quiet_hours


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
        # An item without a fixed deadline is urged "as of today".
        deadline=assignment.due_date or day,
        offset=((assignment.due_date or day) - day).days,
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


def enqueue_urges(
    records: list[UrgeRecord], assignments: dict[int, Assignment], *, now: datetime
) -> list[Reminder]:
    """The rows of several urges at once (``assignments`` by id), in the caller's transaction,
    right after their UrgeRecords were created."""
    reminders = Reminder.objects.bulk_create(
        [_urge_row(r, assignments[r.assignment_id], now) for r in records]
    )
    if reminders and reminders[0].pk is None:
        # Backends that do not return ids from a bulk insert: read them back.
        reminders = list(
            Reminder.objects.filter(
                kind=ReminderKind.URGE, slot__in=[f"urge:{r.pk}" for r in records]
            )
        )
    _publish_on_commit(reminders)
    return reminders


def held_until(now: datetime | None = None) -> datetime | None:
    """When an urge pressed at ``now`` goes out, if quiet hours hold it; None if at once."""
    now = now or timezone.now()
    policy = current_policy()
    return hold_until_allowed(now, policy) if in_quiet_hours(now, policy) else None


def held_message(now: datetime | None = None) -> str:
    """What the office is told when it presses 催办 in quiet hours (empty outside them)."""
    now = now or timezone.now()
    moment = held_until(now)
    if moment is None:
        return ""
    local = timezone.localtime(moment, DEADLINE_TZ)
    values = {"time": local.strftime("%H:%M")}
    today = local_today(now)
    if local.date() == today:
        text = _("It is quiet hours: the reminder will go out today at %(time)s.")
    elif local.date() == today + timedelta(days=1):
        text = _("It is quiet hours: the reminder will go out tomorrow morning at %(time)s.")
    else:
        values["date"] = local.date().isoformat()
        text = _("It is quiet hours: the reminder will go out on %(date)s at %(time)s.")
    return text % values
