"""Sending one claimed reminder row: to whom, through which channels, and what is recorded.

A delivery row per recipient and channel is written right after each send, so a retry (a
Celery redelivery after a killed worker, or the sweep re-queueing a stuck row) skips whoever
already got it. The row is marked sent only after every recipient has been served.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import Person, RoleKind
from tasks.models import (
    Assignment,
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderStatus,
    UrgeRecord,
    local_today,
)
from tasks.reminders.policy import wants_reminders

logger = logging.getLogger("tasks.reminders")

#: Roles that receive a branch's deadline reminders.
RECIPIENT_ROLES = (RoleKind.SECRETARY, RoleKind.ORGANISATION_MEMBER)
#: Attempts of the cron pass before a reminder is marked failed.
MAX_ATTEMPTS = 4


def recipients_of(assignment: Assignment) -> list[Person]:
    return list(
        Person.objects.filter(
            roles__organisation_id=assignment.branch_id, roles__kind__in=RECIPIENT_ROLES
        )
        .select_related("user")
        .distinct()
        .order_by("id")
    )


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def assignment_url(assignment: Assignment) -> str:
    return absolute(reverse("tasks:assignment_detail", args=[assignment.pk]))


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
        "urged": reminder.kind == ReminderKind.URGE,
        "url": assignment_url(assignment),
        "path": reverse("tasks:assignment_detail", args=[assignment.pk]),
    }


def _still_relevant(reminder: Reminder) -> bool:
    """The assignment still owes work (by the deadline this row was planned for)."""
    assignment = reminder.assignment
    if not wants_reminders(assignment):
        return False
    # An urge presses for the work whatever the deadline; the others belong to one deadline.
    return reminder.kind == ReminderKind.URGE or assignment.due_date == reminder.deadline


def delivered(reminder: Reminder) -> set[tuple[int, str]]:
    """Recipients and channels already served; a failed attempt is tried again."""
    return set(
        ReminderDelivery.objects.filter(
            reminder=reminder, status__in=(DeliveryStatus.SENT, DeliveryStatus.SKIPPED)
        ).values_list("person_id", "channel")
    )


def record(reminder, person, channel, status, *, address="", note="", now=None) -> None:
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


def notify_person(
    reminder: Reminder,
    person: Person,
    *,
    title: str,
    body: str,
    link: str,
    send_email: Callable[[str], None],
    done: set[tuple[int, str]],
    now: datetime,
) -> None:
    """The portal notification and the email for one recipient, each at most once."""
    if person.user_id and (person.pk, DeliveryChannel.PORTAL) not in done:
        with transaction.atomic():
            Notification.objects.create(user_id=person.user_id, title=title, body=body, link=link)
            record(reminder, person, DeliveryChannel.PORTAL, DeliveryStatus.SENT, now=now)
    if (person.pk, DeliveryChannel.EMAIL) in done:
        return
    address = person.email.strip()
    if not address:
        logger.info("reminder %s: %s has no email address", reminder.pk, person.pk)
        record(reminder, person, DeliveryChannel.EMAIL, DeliveryStatus.SKIPPED, note="no address")
        return
    try:
        validate_email(address)
    except ValidationError:
        logger.warning("reminder %s: malformed address of person %s", reminder.pk, person.pk)
        record(
            reminder,
            person,
            DeliveryChannel.EMAIL,
            DeliveryStatus.SKIPPED,
            address=address[:254],
            note="malformed address",
        )
        return
    try:
        send_email(address)
    except OSError as exc:  # smtplib.SMTPException is an OSError
        # Recorded for the office, then re-raised so the caller retries; a failed row does
        # not count as served, so the retry tries this recipient again.
        record(
            reminder,
            person,
            DeliveryChannel.EMAIL,
            DeliveryStatus.FAILED,
            address=address[:254],
            note=str(exc) or exc.__class__.__name__,
        )
        raise
    record(reminder, person, DeliveryChannel.EMAIL, DeliveryStatus.SENT, address=address, now=now)


def _deliver_assignment_reminder(reminder: Reminder, now: datetime) -> None:
    from tasks.emails import reminder_title, send_reminder_email

    done = delivered(reminder)
    context = reminder_context(reminder, now)
    title = reminder_title(context)
    body = _("Deadline %(deadline)s of %(branch)s.") % {
        "deadline": context["deadline"].isoformat(),
        "branch": context["branch"],
    }
    for person in recipients_of(reminder.assignment):
        notify_person(
            reminder,
            person,
            title=title,
            body=body,
            link=context["path"],
            send_email=lambda address: send_reminder_email(address, context),
            done=done,
            now=now,
        )
    if reminder.kind == ReminderKind.URGE:
        record_id = reminder.slot.removeprefix("urge:")
        UrgeRecord.objects.filter(pk=record_id, delivered_at=None).update(delivered_at=now)


def _deliver_person_reminder(reminder: Reminder, now: datetime) -> None:
    """A branch-life message to its one recipient, with the words stored when it was planned."""
    from tasks.emails import send_person_reminder_email

    context = {
        "person": reminder.person,
        "title": reminder.title,
        "body": reminder.body,
        "url": absolute(reminder.link) if reminder.link.startswith("/") else reminder.link,
    }
    notify_person(
        reminder,
        reminder.person,
        title=reminder.title,
        body=reminder.body,
        link=reminder.link,
        send_email=lambda address: send_person_reminder_email(address, context),
        done=delivered(reminder),
        now=now,
    )


def deliver_reminder(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one claimed reminder to every recipient not yet served; returns the outcome."""
    now = now or timezone.now()
    reminder = (
        Reminder.objects.select_related(
            "assignment__item__area__notice", "assignment__branch", "person__user"
        )
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.sent_at is not None:
        return "gone" if reminder is None else "already sent"
    if reminder.status in (ReminderStatus.CANCELLED, ReminderStatus.FAILED):
        return reminder.status
    if reminder.assignment_id and not _still_relevant(reminder):
        # Submitted, withdrawn or moved since planning: the row is stale, not a failure.
        Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(
            status=ReminderStatus.CANCELLED
        )
        return ReminderStatus.CANCELLED
    # claimed_at is refreshed on each attempt: the sweep re-queues only rows that nobody has
    # worked on for a while, not one a worker is retrying right now.
    Reminder.objects.filter(pk=reminder.pk).update(attempts=reminder.attempts + 1, claimed_at=now)
    with translation.override(settings.LANGUAGE_CODE):
        if reminder.is_branch_life:
            _deliver_person_reminder(reminder, now)
        elif reminder.is_digest:
            from tasks.digests import deliver_digest

            outcome = deliver_digest(reminder, now)
            if outcome != ReminderStatus.SENT:
                return outcome
        else:
            _deliver_assignment_reminder(reminder, now)
    # Marked sent only after every recipient: a crash before this line resends to nobody
    # already recorded, and a second worker's update finds sent_at set and changes nothing.
    Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(
        sent_at=now, status=ReminderStatus.SENT, last_error=""
    )
    return ReminderStatus.SENT


def cancel(reminder: Reminder, reason: str) -> str:
    Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(
        status=ReminderStatus.CANCELLED, last_error=reason[:300]
    )
    return ReminderStatus.CANCELLED


def mark_failed(reminder_id: int, error: str) -> None:
    """Give up on a reminder; the office sees it on the assignment page and the failed list."""
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
