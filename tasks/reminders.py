"""Deadline reminders: planning rows, claiming the due ones, sending them.

Planning keeps an assignment's unsent rows in step with its effective deadline and state; it
is called from every step that changes either (publish, extension, deadline change, submit,
approve, return, withdraw) and is idempotent. The due pass claims rows one by one with a
conditional UPDATE, so two beats never claim the same row; sending records a delivery row per
recipient and channel before moving on, so a retry never repeats what already went out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import Person, RoleKind
from tasks.models import (
    OPEN_STATUSES,
    Assignment,
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
    local_today,
)
from tasks.models.notices import DEADLINE_TZ

logger = logging.getLogger(__name__)

#: Roles that receive a branch's deadline reminders.
RECIPIENT_ROLES = (RoleKind.SECRETARY, RoleKind.ORGANISATION_MEMBER)
#: Rows claimed per pass; the next minute's pass takes the rest.
CLAIM_BATCH = 500
#: Attempts of the cron pass before a reminder is marked failed.
MAX_ATTEMPTS = 4


def current_policy() -> ReminderPolicy:
    """The default policy row; an unsaved one with the built-in values if none exists."""
    return ReminderPolicy.objects.filter(is_default=True).first() or ReminderPolicy()


# --- planning --------------------------------------------------------------------------------


def in_quiet_hours(moment: datetime, policy: ReminderPolicy) -> bool:
    hour = timezone.localtime(moment, DEADLINE_TZ).hour
    start, end = policy.quiet_start_hour, policy.quiet_end_hour
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def hold_until_allowed(moment: datetime, policy: ReminderPolicy) -> datetime:
    """The first instant at or after ``moment`` outside quiet hours (held until their end)."""
    if not in_quiet_hours(moment, policy):
        return moment
    local = timezone.localtime(moment, DEADLINE_TZ)
    end = datetime.combine(local.date(), time(policy.quiet_end_hour), tzinfo=DEADLINE_TZ)
    return end if end > local else end + timedelta(days=1)


def _at_send_hour(day: date, policy: ReminderPolicy) -> datetime:
    moment = datetime.combine(day, time(policy.send_hour), tzinfo=DEADLINE_TZ)
    return hold_until_allowed(moment, policy)


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
            _at_send_hour(deadline - timedelta(days=days), policy),
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
                _at_send_hour(deadline + timedelta(days=days_after), policy),
            )
        )
    return slots


def _wants_reminders(assignment: Assignment) -> bool:
    item = assignment.item
    return (
        assignment.status in OPEN_STATUSES
        and item.withdrawn_at is None
        and item.area.notice.is_published
    )


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
    existing: dict[tuple[int, str, str], Reminder] = {
        (r.assignment_id, r.kind, r.slot): r
        for r in Reminder.objects.filter(assignment__in=rows).only(
            "id", "assignment_id", "kind", "slot", "status", "claimed_at", "due_at"
        )
    }
    open_ids = {a.pk for a in rows if _wants_reminders(a)}
    planned: set[tuple[int, str, str]] = set()  # every slot of the current deadlines
    wanted: dict[tuple[int, str, str], tuple[Assignment, Slot]] = {}
    for assignment in rows:
        if assignment.pk in open_ids:
            for slot in slots_for(assignment.due_date, policy):
                key = (assignment.pk, slot.kind, slot.slot)
                planned.add(key)
                if slot.due_at > now:
                    wanted[key] = (assignment, slot)
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
    revive = [
        r.pk
        for key, r in existing.items()
        if key in wanted and r.status == ReminderStatus.CANCELLED and r.claimed_at is None
    ]
    if revive:
        # A returned submission owes work again: its cancelled future rows come back.
        Reminder.objects.filter(pk__in=revive).update(status=ReminderStatus.PLANNED)
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


# --- the due pass ----------------------------------------------------------------------------


def claim_due_reminders(now: datetime | None = None, *, limit: int = CLAIM_BATCH) -> list[int]:
    """Claim the planned rows that are due; returns the ids this caller (alone) now owns.

    Nothing is claimed in quiet hours: a row left over from the evening waits for the morning.
    """
    now = now or timezone.now()
    if in_quiet_hours(now, current_policy()):
        return []
    candidates = list(
        Reminder.objects.filter(status=ReminderStatus.PLANNED, claimed_at=None, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", "assignment_id")[:limit]
    )
    # After an outage several rows of one assignment can be due at once: only the latest
    # goes out, the older ones are superseded rather than sent in a burst.
    latest = {assignment_id: pk for pk, assignment_id in candidates}
    superseded = [pk for pk, assignment_id in candidates if latest[assignment_id] != pk]
    if superseded:
        Reminder.objects.filter(
            pk__in=superseded, claimed_at=None, status=ReminderStatus.PLANNED
        ).update(status=ReminderStatus.CANCELLED, last_error="superseded by a later reminder")
    candidates = [(pk, a) for pk, a in candidates if latest[a] == pk]
    claimed = []
    for pk, _assignment_id in candidates:
        # The conditional UPDATE is the lock: of two passes only one sees a count of 1.
        won = Reminder.objects.filter(pk=pk, claimed_at=None, status=ReminderStatus.PLANNED).update(
            claimed_at=now, status=ReminderStatus.QUEUED
        )
        if won == 1:
            claimed.append(pk)
    return claimed


# --- sending ---------------------------------------------------------------------------------


def recipients_of(assignment: Assignment) -> list[Person]:
    return list(
        Person.objects.filter(
            roles__organisation_id=assignment.branch_id, roles__kind__in=RECIPIENT_ROLES
        )
        .select_related("user")
        .distinct()
        .order_by("id")
    )


def assignment_url(assignment: Assignment) -> str:
    path = reverse("tasks:assignment_detail", args=[assignment.pk])
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def reminder_context(reminder: Reminder, now: datetime) -> dict:
    assignment = reminder.assignment
    days_left = (assignment.due_date - local_today(now)).days
    return {
        "assignment": assignment,
        "item": assignment.item,
        "branch": assignment.branch,
        "deadline": assignment.due_date,
        "days_left": days_left,
        "days_overdue": max(0, -days_left),
        "url": assignment_url(assignment),
        "path": reverse("tasks:assignment_detail", args=[assignment.pk]),
    }


def _still_relevant(reminder: Reminder) -> bool:
    """The assignment still owes work by the deadline this row was planned for."""
    assignment = reminder.assignment
    return _wants_reminders(assignment) and assignment.due_date == reminder.deadline


def _delivered(reminder: Reminder) -> set[tuple[int, str]]:
    return set(
        ReminderDelivery.objects.filter(reminder=reminder).values_list("person_id", "channel")
    )


def _record(reminder, person, channel, status, *, address="", note="", now=None) -> None:
    ReminderDelivery.objects.update_or_create(
        reminder=reminder,
        person=person,
        channel=channel,
        defaults={
            "status": status,
            "address": address,
            "note": note[:200],
            "sent_at": now if status == DeliveryStatus.SENT else None,
        },
    )


def _notify_in_portal(reminder: Reminder, person: Person, context: dict, now: datetime) -> None:
    from tasks.emails import reminder_title

    with transaction.atomic():
        Notification.objects.create(
            user=person.user,
            title=reminder_title(context),
            body=_("Deadline %(deadline)s of %(branch)s.")
            % {"deadline": context["deadline"].isoformat(), "branch": context["branch"]},
            link=context["path"],
        )
        _record(reminder, person, DeliveryChannel.PORTAL, DeliveryStatus.SENT, now=now)


def _email(reminder: Reminder, person: Person, context: dict, now: datetime) -> None:
    from tasks.emails import send_reminder_email

    address = person.email.strip()
    if not address:
        logger.info("reminder %s: %s has no email address", reminder.pk, person.pk)
        _record(reminder, person, DeliveryChannel.EMAIL, DeliveryStatus.SKIPPED, note="no address")
        return
    try:
        validate_email(address)
    except ValidationError:
        logger.warning("reminder %s: malformed address of person %s", reminder.pk, person.pk)
        _record(
            reminder,
            person,
            DeliveryChannel.EMAIL,
            DeliveryStatus.SKIPPED,
            address=address[:254],
            note="malformed address",
        )
        return
    # An SMTP error propagates: the caller retries, and the rows written so far keep the
    # recipients already served from getting it twice.
    send_reminder_email(address, context)
    _record(reminder, person, DeliveryChannel.EMAIL, DeliveryStatus.SENT, address=address, now=now)


def deliver_reminder(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one claimed reminder to every recipient not yet served; returns the outcome."""
    now = now or timezone.now()
    reminder = (
        Reminder.objects.select_related("assignment__item__area__notice", "assignment__branch")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.sent_at is not None:
        return "gone" if reminder is None else "already sent"
    if reminder.status in (ReminderStatus.CANCELLED, ReminderStatus.FAILED):
        return reminder.status
    if not _still_relevant(reminder):
        # Submitted, withdrawn or moved since planning: the row is stale, not a failure.
        Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(
            status=ReminderStatus.CANCELLED
        )
        return ReminderStatus.CANCELLED
    Reminder.objects.filter(pk=reminder.pk).update(attempts=reminder.attempts + 1)
    done = _delivered(reminder)
    with translation.override(settings.LANGUAGE_CODE):
        context = reminder_context(reminder, now)
        for person in recipients_of(reminder.assignment):
            if person.user_id and (person.pk, DeliveryChannel.PORTAL) not in done:
                _notify_in_portal(reminder, person, context, now)
            if (person.pk, DeliveryChannel.EMAIL) not in done:
                _email(reminder, person, context, now)
    # Marked sent only after every recipient: a crash before this line resends to nobody
    # already recorded, and a second worker's update finds sent_at set and changes nothing.
    Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(
        sent_at=now, status=ReminderStatus.SENT, last_error=""
    )
    return ReminderStatus.SENT


def mark_failed(reminder_id: int, error: str) -> None:
    """Give up on a reminder so the office sees it on the assignment page."""
    Reminder.objects.filter(pk=reminder_id, sent_at=None).update(
        status=ReminderStatus.FAILED, last_error=error[:300]
    )
    logger.error("reminder %s failed: %s", reminder_id, error)


def release_for_retry(reminder_id: int, error: str) -> None:
    """Hand a failed attempt back to the next pass, or give up after MAX_ATTEMPTS."""
    reminder = Reminder.objects.filter(pk=reminder_id).only("attempts").first()
    if reminder is None:
        return
    if reminder.attempts >= MAX_ATTEMPTS:
        mark_failed(reminder_id, error)
        return
    Reminder.objects.filter(pk=reminder_id, sent_at=None).update(
        status=ReminderStatus.PLANNED, claimed_at=None, last_error=error[:300]
    )


def run_pass(now: datetime | None = None) -> dict[str, int]:
    """One synchronous pass (for cron): claim, then send each claimed row in this process."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for pk in claim_due_reminders(now):
        try:
            outcome = deliver_reminder(pk, now=now)
        except OSError as exc:  # smtplib.SMTPException is an OSError
            release_for_retry(pk, str(exc))
            outcome = "retry"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def reminders_of(assignment: Assignment) -> list[Reminder]:
    """The assignment's reminders with their deliveries, for the office (two queries)."""
    return list(
        Reminder.objects.filter(assignment=assignment)
        .prefetch_related("deliveries__person")
        .order_by("due_at", "id")
    )
