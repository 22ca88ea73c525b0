"""Sending claimed reminder rows: to whom, through which channels, and what is recorded.

One worker at a time sends a row (a lease, ``tasks.reminders.lease``); each recipient is
served at most once per channel (``tasks.reminders.delivery``). The row is marked sent only
after every recipient has been served. A send job hands over a batch of rows
(``deliver_batch``, sharing what ``tasks.reminders.batch`` reads once); ``deliver_reminder``
sends one row, alone or within a batch.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tasks.models import Assignment, Reminder, ReminderKind, ReminderStatus, UrgeRecord, local_today
from tasks.reminders.batch import SEND_BATCH, Batch, Statement, db_value, in_senders
from tasks.reminders.delivery import absolute, hold_lease, notify_person
from tasks.reminders.digests import deliver_digest
from tasks.reminders.emails import (
    reminder_title,
    send_change_email,
    send_person_reminder_email,
    send_reminder_email,
)
from tasks.reminders.lease import Lease, LeaseLost, settle_unleased
from tasks.reminders.policy import hold_until_allowed, in_quiet_hours, wants_reminders

logger = logging.getLogger("tasks.reminders")

#: Attempts before a reminder is marked failed (the send job and the cron pass alike).
MAX_ATTEMPTS = 4
#: Back-off between attempts: doubled each time from the first, capped.
RETRY_FIRST = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)


def assignment_url(assignment: Assignment) -> str:
    return absolute(reverse("tasks:assignment_detail", args=[assignment.pk]))


def reminder_context(reminder: Reminder, now: datetime) -> dict:
    assignment = reminder.assignment
    due = assignment.due_date
    # Only urges reach an assignment without a fixed deadline; they count no days.
    days_left = (due - local_today(now)).days if due else 0
    path = reverse("tasks:assignment_detail", args=[assignment.pk])
    return {
        "assignment": assignment,
        "item": assignment.item,
        "branch": assignment.branch,
        "deadline": due,
        "deadline_text": assignment.deadline_text,
        "days_left": days_left,
        "days_overdue": max(0, -days_left),
        "urged": reminder.kind == ReminderKind.URGE,
        "url": absolute(path),
        "path": path,
    }


def _still_relevant(reminder: Reminder) -> bool:
    """The assignment still owes work (by the deadline this row was planned for)."""
    assignment = reminder.assignment
    if not wants_reminders(assignment):
        return False
    # An urge presses for the work whatever the deadline; the others belong to one deadline.
    return reminder.kind == ReminderKind.URGE or assignment.due_date == reminder.deadline


def _deliver_assignment_reminder(
    reminder: Reminder, now: datetime, lease: Lease, batch: Batch
) -> None:
    context = reminder_context(reminder, now)
    title = reminder_title(context)
    body = _("Deadline %(deadline)s of %(branch)s.") % {
        "deadline": context["deadline_text"],
        "branch": context["branch"],
    }
    for person in batch.recipients(reminder):
        notify_person(
            reminder,
            person,
            title=title,
            body=body,
            link=context["path"],
            send_email=lambda address, msgid, mailer: send_reminder_email(
                address, context, msgid, subject=title, mailer=mailer
            ),
            now=now,
            lease=lease,
            batch=batch,
        )


def _deliver_person_reminder(reminder: Reminder, now: datetime, lease: Lease, batch: Batch) -> None:
    """A branch-life or change message to its one recipient, with the words stored when it was
    planned. A change message's email goes only to whoever wants that kind by email (looked
    up at sending, so a change of mind counts for the messages still on their way)."""
    send = send_person_reminder_email
    if reminder.kind == ReminderKind.CHANGE:
        muted = batch.muted_change_emails(reminder.person_id)
        send = send_change_email if reminder.change_kind not in muted else None
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
        send_email=(
            (lambda address, msgid, mailer: send(address, context, msgid, mailer=mailer))
            if send
            else None
        ),
        now=now,
        lease=lease,
        batch=batch,
    )


def deliver_reminder(
    reminder_id: int, *, now: datetime | None = None, batch: Batch | None = None
) -> str:
    """Send one claimed reminder to every recipient not yet served; returns the outcome.

    Under a lease (``tasks.reminders.lease``): a second message for the same row, while the
    first is being worked on, sends nothing ("busy"). In quiet hours the row goes back to the
    claim step, due at their end, with no attempt counted ("held"). Within a ``batch``, the
    row's last records may wait for the batch's next step (see ``tasks.reminders.batch``).
    """
    if batch is None:
        with Batch([reminder_id]) as alone:
            return deliver_reminder(reminder_id, now=now, batch=alone)
    now = now or timezone.now()
    reminder = batch.row(reminder_id)
    if reminder is None or reminder.sent_at is not None:
        return "gone" if reminder is None else "already sent"
    if reminder.status in (ReminderStatus.CANCELLED, ReminderStatus.FAILED):
        return reminder.status
    lease = Lease(reminder.pk, now)
    try:
        return _deliver_leased(reminder, lease, now, batch)
    except LeaseLost:
        if not lease.held:
            return "busy"
        logger.warning("reminder %s: lease lost to another worker, stopped", reminder.pk)
        return "lease lost"
    except BaseException:
        # The retry (or the sweep) need not wait for the lease to run out; a broken database
        # connection leaves it to expire.
        if lease.held:
            with contextlib.suppress(DatabaseError):
                lease.release()
        raise


def _settle(reminder: Reminder, now: datetime, batch: Batch, **changes) -> None:
    """Cancel or hold a row before anything is sent, unless another worker holds it."""
    batch.flush()
    if not settle_unleased(reminder.pk, now, **changes):
        raise LeaseLost(reminder.pk)


def _deliver_leased(reminder: Reminder, lease: Lease, now: datetime, batch: Batch) -> str:
    # Decided before the lease is taken, so that a row not sent counts no attempt; the
    # change is conditional on the row being claimed and free, like the lease.
    if reminder.assignment_id and not _still_relevant(reminder):
        # Submitted, withdrawn or moved since planning: the row is stale, not a failure.
        _settle(reminder, now, batch, status=ReminderStatus.CANCELLED)
        return ReminderStatus.CANCELLED
    policy = batch.policy
    if in_quiet_hours(now, policy):
        # Claimed before quiet hours but reached only now (a backlog, a retry, a redelivery).
        _settle(
            reminder,
            now,
            batch,
            status=ReminderStatus.PLANNED,
            claimed_at=None,
            due_at=hold_until_allowed(now, policy),
        )
        return "held"
    with translation.override(settings.LANGUAGE_CODE):
        if reminder.is_message:
            _deliver_person_reminder(reminder, now, lease, batch)
        elif reminder.is_digest:
            hold_lease(lease, batch)  # its checks read the database, and cancel under it
            outcome = deliver_digest(reminder, now, lease, batch)
            if outcome != ReminderStatus.SENT:
                return outcome
        else:
            _deliver_assignment_reminder(reminder, now, lease, batch)
    if not lease.held:
        # Every recipient was served by an earlier attempt: marked sent under a lease all
        # the same, so a row another worker holds is left to it.
        hold_lease(lease, batch)
    batch.later(*_sent_statements(reminder, now))
    return ReminderStatus.SENT


def _sent_statements(reminder: Reminder, now: datetime) -> list[Statement]:
    """The row marked sent (and an urge's record delivered), after every recipient: a crash
    before this resends to nobody already recorded, and a second worker's update finds
    sent_at set and changes nothing."""
    quote = connection.ops.quote_name
    statements: list[Statement] = [
        (
            f"UPDATE {quote(Reminder._meta.db_table)} SET sent_at = %s, status = %s,"
            " last_error = '', leased_until = NULL, lease_token = NULL"
            " WHERE id = %s AND sent_at IS NULL",
            [db_value(Reminder, "sent_at", now), ReminderStatus.SENT, reminder.pk],
        )
    ]
    if reminder.kind == ReminderKind.URGE:
        statements.append(
            (
                f"UPDATE {quote(UrgeRecord._meta.db_table)} SET delivered_at = %s"
                " WHERE id = %s AND delivered_at IS NULL",
                [
                    db_value(UrgeRecord, "delivered_at", now),
                    int(reminder.slot.removeprefix("urge:")),
                ],
            )
        )
    return statements


def deliver_batch(ids: list[int], *, now: datetime | None = None) -> dict[int, str]:
    """Send claimed rows, each as ``deliver_reminder`` would; returns each row's outcome.

    The rows are shared out among a few senders (threads, ``REMINDER_SENDERS``), each
    sending its share one row after the other, one email at a time: while one waits for the
    database or the mail server, another works. An SMTP error hands its row back for a retry
    (``release_for_retry``) and the sender goes on with its next row; another error marks
    its row failed for the office. A database error stops the sender: its rows stay claimed,
    and the sweep puts them back.
    """
    return in_senders(ids, partial(_deliver_share, now=now))


def _deliver_share(ids: list[int], *, now: datetime | None) -> dict[int, str]:
    outcomes: dict[int, str] = {}
    with Batch(ids) as batch:
        for pk in ids:
            try:
                outcomes[pk] = deliver_reminder(pk, now=now, batch=batch)
            except OSError as exc:  # smtplib.SMTPException and connection errors
                batch.flush()
                release_for_retry(pk, str(exc) or exc.__class__.__name__, now=now)
                outcomes[pk] = "retry"
            except DatabaseError:
                raise
            except Exception as exc:
                logger.exception("reminder %s: not sent", pk)
                batch.flush()
                mark_failed(pk, str(exc) or exc.__class__.__name__)
                outcomes[pk] = ReminderStatus.FAILED
    return outcomes


def deliver_in_batches(ids: list[int], *, now: datetime | None = None) -> dict[int, str]:
    """``deliver_batch`` over any number of rows, ``SEND_BATCH`` at a time (the cron pass)."""
    outcomes: dict[int, str] = {}
    for start in range(0, len(ids), SEND_BATCH):
        outcomes.update(deliver_batch(ids[start : start + SEND_BATCH], now=now))
    return outcomes


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
