"""Sending one claimed reminder row: to whom, through which channels, and what is recorded.

One worker at a time sends a row (a lease, ``tasks.reminders.lease``); each recipient is
served at most once per channel (``tasks.reminders.delivery``). The row is marked sent only
after every recipient has been served.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import Person, RoleKind
from tasks.models import (
    Assignment,
    NotificationPreference,
    Reminder,
    ReminderKind,
    ReminderStatus,
    UrgeRecord,
    local_today,
)
from tasks.reminders.delivery import absolute, cancel, delivered, notify_person
from tasks.reminders.digests import deliver_digest
from tasks.reminders.emails import (
    reminder_title,
    send_change_email,
    send_person_reminder_email,
    send_reminder_email,
)
from tasks.reminders.lease import Lease, LeaseLost, take_lease
from tasks.reminders.policy import (
    current_policy,
    hold_until_allowed,
    in_quiet_hours,
    wants_reminders,
)

logger = logging.getLogger("tasks.reminders")

#: Roles that receive a branch's deadline reminders.
RECIPIENT_ROLES = (RoleKind.SECRETARY, RoleKind.ORGANISATION_MEMBER)
#: Attempts before a reminder is marked failed (the send job and the cron pass alike).
MAX_ATTEMPTS = 4
#: Back-off between attempts: doubled each time from the first, capped.
RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)


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
    return absolute(reverse("tasks:assignment_detail", args=[assignment.pk]))


def reminder_context(reminder: Reminder, now: datetime) -> dict:
    assignment = reminder.assignment
    due = assignment.due_date
    # Only urges reach an assignment without a fixed deadline; they count no days.
    days_left = (due - local_today(now)).days if due else 0
    return {
        "assignment": assignment,
        "item": assignment.item,
        "branch": assignment.branch,
        "deadline": due,
        "deadline_text": assignment.deadline_text,
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


def _deliver_assignment_reminder(reminder: Reminder, now: datetime, lease: Lease) -> None:
    done = delivered(reminder)
    context = reminder_context(reminder, now)
    title = reminder_title(context)
    body = _("Deadline %(deadline)s of %(branch)s.") % {
        "deadline": context["deadline_text"],
        "branch": context["branch"],
    }
    for person in recipients_of(reminder.assignment):
        notify_person(
            reminder,
            person,
            title=title,
            body=body,
            link=context["path"],
            send_email=lambda address, msgid: send_reminder_email(address, context, msgid),
            done=done,
            now=now,
            lease=lease,
        )
    if reminder.kind == ReminderKind.URGE:
        record_id = reminder.slot.removeprefix("urge:")
        UrgeRecord.objects.filter(pk=record_id, delivered_at=None).update(delivered_at=now)


def _wants_change_email(reminder: Reminder) -> bool:
    """The recipient did not switch this kind of change's email off (looked up at sending,
    so a change of mind counts for the messages still on their way)."""
    muted = (
        NotificationPreference.objects.filter(person_id=reminder.person_id)
        .values_list("muted_change_emails", flat=True)
        .first()
    )
    return reminder.change_kind not in (muted or [])


def _deliver_person_reminder(reminder: Reminder, now: datetime, lease: Lease) -> None:
    """A branch-life or change message to its one recipient, with the words stored when it was
    planned. A change message's email goes only to whoever wants that kind by email."""
    send = send_person_reminder_email
    if reminder.kind == ReminderKind.CHANGE:
        send = send_change_email if _wants_change_email(reminder) else None
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
        send_email=(lambda address, msgid: send(address, context, msgid)) if send else None,
        done=delivered(reminder),
        now=now,
        lease=lease,
    )


def deliver_reminder(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one claimed reminder to every recipient not yet served; returns the outcome.

    Under a lease (``tasks.reminders.lease``): a second message for the same row, while the
    first is being worked on, sends nothing ("busy"). In quiet hours the row goes back to the
    claim step, due at their end, with no attempt counted ("held").
    """
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
    lease = take_lease(reminder.pk, now)
    if lease is None:
        return "busy"
    try:
        return _deliver_leased(reminder, lease, now)
    except LeaseLost:
        logger.warning("reminder %s: lease lost to another worker, stopped", reminder.pk)
        return "lease lost"
    except BaseException:
        # The retry (or the sweep) need not wait for the lease to run out; a broken database
        # connection leaves it to expire.
        with contextlib.suppress(DatabaseError):
            lease.release()
        raise


def _deliver_leased(reminder: Reminder, lease: Lease, now: datetime) -> str:
    if reminder.assignment_id and not _still_relevant(reminder):
        # Submitted, withdrawn or moved since planning: the row is stale, not a failure.
        return cancel(reminder, "", lease=lease)
    policy = current_policy()
    if in_quiet_hours(now, policy):
        # Claimed before quiet hours but reached only now (a backlog, a retry, a redelivery).
        lease.release(
            status=ReminderStatus.PLANNED,
            claimed_at=None,
            due_at=hold_until_allowed(now, policy),
        )
        return "held"
    lease.mine().update(attempts=F("attempts") + 1)
    with translation.override(settings.LANGUAGE_CODE):
        if reminder.is_message:
            _deliver_person_reminder(reminder, now, lease)
        elif reminder.is_digest:
            outcome = deliver_digest(reminder, now, lease)
            if outcome != ReminderStatus.SENT:
                return outcome
        else:
            _deliver_assignment_reminder(reminder, now, lease)
    # Marked sent only after every recipient: a crash before this line resends to nobody
    # already recorded, and a second worker's update finds sent_at set and changes nothing.
    Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(
        sent_at=now, status=ReminderStatus.SENT, last_error="", leased_until=None, lease_token=None
    )
    return ReminderStatus.SENT


def mark_failed(reminder_id: int, error: str) -> None:
    """Give up on a reminder; the office sees it on the assignment page and the failed list."""
    Reminder.objects.filter(pk=reminder_id, sent_at=None).update(
        status=ReminderStatus.FAILED, last_error=error[:300]
    )
    logger.error("reminder %s failed: %s", reminder_id, error)


def retry_delay(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: one minute, doubling, an hour at most."""
    return min(RETRY_FIRST * 2 ** max(0, attempts - 1), RETRY_MAX)


def release_for_retry(reminder_id: int, error: str, *, now: datetime | None = None) -> None:
    """Hand a failed attempt back to the claim step, due again after a back-off, or give up
    after MAX_ATTEMPTS. The retry is a row, not a timer in the broker: it survives a broker
    restart, and the quiet-hours check at delivery holds it if it falls in the night."""
    now = now or timezone.now()
    reminder = Reminder.objects.filter(pk=reminder_id).only("attempts").first()
    if reminder is None:
        return
    if reminder.attempts >= MAX_ATTEMPTS:
        mark_failed(reminder_id, error)
        return
    Reminder.objects.filter(pk=reminder_id, sent_at=None).exclude(
        status__in=(ReminderStatus.CANCELLED, ReminderStatus.FAILED)
    ).update(
        status=ReminderStatus.PLANNED,
        claimed_at=None,
        leased_until=None,
        lease_token=None,
        due_at=now + retry_delay(reminder.attempts),
        last_error=error[:300],
    )
