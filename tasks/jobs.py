"""Celery jobs of the tasks app (thin: ids in, one call inside).

The top of the app: jobs import the services and reminder modules, and nothing imports the
jobs. Code that wants a job run queues it by name through ``portal.outbox``; the beat schedule
names them too. The one publisher here, ``publish_claimed``, runs on the worker side.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError

from tasks import exports, pending_docx
from tasks.models import local_today
from tasks.reminders.batch import SEND_BATCH
from tasks.reminders.branch_life import plan_branch_life_reminders as plan_branch_life
from tasks.reminders.claiming import beat_pass, release_unpublished
from tasks.reminders.lease import lease_left
from tasks.reminders.sending import (
    deliver_batch,
    deliver_reminder,
    mark_failed,
    release_for_retry,
)

logger = logging.getLogger(__name__)
#: Publishing the claimed rows logs with the rest of the reminders.
reminders_logger = logging.getLogger("tasks.reminders")


def publish_claimed(ids: list[int]) -> int:
    """Queue one send job per batch of ``SEND_BATCH`` claimed rows; on a broker failure give
    the rest back. Returns the rows queued."""
    for start in range(0, len(ids), SEND_BATCH):
        try:
            send_reminder_batch.delay(ids[start : start + SEND_BATCH])
        except (OperationalError, ConnectionError, OSError) as exc:
            released = release_unpublished(ids[start:])
            reminders_logger.warning(
                "broker unavailable, %s reminders handed back: %s", released, exc
            )
            return start
    return len(ids)


@shared_task(name="tasks.send_due_reminders")
def send_due_reminders() -> int:
    """Beat, every minute: sweep, plan digests, claim the due reminders and queue a send job
    per batch of claimed rows."""
    return publish_claimed(beat_pass())


def _look_again(reminder_id: int) -> None:
    """Another worker holds the row, or held it and died (the broker redelivered its
    message): look again once the lease has run out, rather than wait for the sweep. Never
    longer than REMINDER_LEASE_SECONDS, far below the broker's visibility timeout."""
    wait = lease_left(reminder_id, timezone.now())
    if wait is None:
        return
    try:
        send_reminder.apply_async((reminder_id,), countdown=wait + 1)
    except (OperationalError, OSError) as exc:
        logger.warning("reminder %s: not looked at again (%s); the sweep will", reminder_id, exc)


def _give_up(task, exc, task_id, args, kwargs, einfo) -> None:
    # Called by Celery when the job raised (not an SMTP error: those are retried as rows): the
    # office sees the failed status.
    if args:
        mark_failed(args[0], str(exc))


@shared_task(name="tasks.send_reminder", bind=True, acks_late=True, on_failure=_give_up)
def send_reminder(self, reminder_id: int) -> str:
    """Send one claimed reminder; safe to run again (a lease, delivery rows, a conditional
    update). An SMTP or connection error hands the row back to the beat pass, due again after
    a back-off (``release_for_retry``), rather than parking a timed retry in the broker, where
    a restart would lose it and the sweep would take it for lost."""
    try:
        outcome = deliver_reminder(reminder_id)
    except OSError as exc:  # smtplib.SMTPException and connection errors
        release_for_retry(reminder_id, str(exc) or exc.__class__.__name__)
        return "retry"
    if outcome == "busy" and not self.request.is_eager:
        _look_again(reminder_id)
    return outcome


@shared_task(name="tasks.send_reminder_batch", bind=True, acks_late=True)
def send_reminder_batch(self, reminder_ids: list[int]) -> dict[str, int]:
    """Send a batch of claimed reminders, each under its own lease (``deliver_batch``; the
    same guarantees as ``send_reminder``, row by row); returns the count per outcome."""
    outcomes = deliver_batch(reminder_ids)
    counts: dict[str, int] = {}
    for pk, outcome in outcomes.items():
        counts[outcome] = counts.get(outcome, 0) + 1
        if outcome == "busy" and not self.request.is_eager:
            _look_again(pk)
    return counts


@shared_task(name="tasks.build_workbook", acks_late=True)
def build_workbook(export_id: int) -> str:
    """Build a notice's workbook for a running Export row (progress is written on the row)."""
    return exports.run_export(export_id)


@shared_task(name="tasks.build_export", acks_late=True)
def build_export(export_id: int) -> str:
    """Build the file of any running Export row by its kind's builder (``tasks.exports``)."""
    return exports.run_export(export_id)


@shared_task(name="tasks.delete_expired_exports")
def delete_expired_exports() -> int:
    """Beat, hourly: remove workbook files whose download link has expired."""
    return exports.delete_expired_exports()


@shared_task(name="tasks.delete_abandoned_notice_uploads")
def delete_abandoned_notice_uploads() -> int:
    """Beat, hourly: delete the Word notices uploaded and never saved or discarded."""
    return pending_docx.sweep()


@shared_task(name="tasks.fail_stranded_exports")
def fail_stranded_exports() -> int:
    """Beat, every five minutes: mark failed the workbooks nobody is building."""
    return exports.fail_stranded_exports()


@shared_task(name="tasks.plan_branch_life_reminders")
def plan_branch_life_reminders() -> int:
    """Beat, daily at 08:30 Shanghai: plan the relation-flag and development-step reminders;
    the every-minute pass then claims and sends them with the deadline reminders."""
    return plan_branch_life(local_today())
