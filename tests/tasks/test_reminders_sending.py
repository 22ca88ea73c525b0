"""Claiming and sending deadline reminders: once only, to whom, and what happens on errors."""

from __future__ import annotations

import logging
import smtplib
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from branches.models import RoleKind
from tasks import jobs
from tasks.models import (
    Assignment,
    AssignmentStatus,
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderStatus,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.claiming import claim_due_reminders, run_pass
from tasks.reminders.sending import MAX_ATTEMPTS, deliver_reminder, retry_delay
from tests.builders.branches import make_person
from tests.builders.tasks import assignment_of, published_item

DEADLINE = date(2030, 3, 20)
DUE_DAY = datetime.combine(date(2030, 3, 13), time(9, 5), tzinfo=DEADLINE_TZ)


class FailingBackend(EmailBackend):
    """Refuses every message, like an SMTP server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")


class FailSecondBackend(EmailBackend):
    """Accepts the first message and then fails (a server dropping mid-batch)."""

    calls = 0

    def send_messages(self, messages):
        FailSecondBackend.calls += 1
        if FailSecondBackend.calls == 2:
            raise smtplib.SMTPServerDisconnected("dropped")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.cn"


@pytest.fixture
def assignment(personas):
    secretary = personas.people["secretary_a"]
    secretary.email = "jia@example.cn"
    secretary.save(update_fields=["email"])
    make_person(
        "组织委员",
        personas.tree["branch_a"],
        username="organiser_a",
        email="zuzhi@example.cn",
        roles=[(RoleKind.ORGANISATION_MEMBER, personas.tree["branch_a"])],
    )
    item = published_item(personas.tree["committee"], deadline=DEADLINE)
    return assignment_of(item, personas.tree["branch_a"])


@pytest.fixture
def claimed(assignment) -> Reminder:
    ids = claim_due_reminders(DUE_DAY)
    return Reminder.objects.get(pk__in=ids, assignment=assignment)


def test_a_row_is_claimed_exactly_once_even_when_two_passes_run(assignment):
    first = claim_due_reminders(DUE_DAY)
    second = claim_due_reminders(DUE_DAY)
    assert len(first) == 2  # branch A and branch B, the 7-day reminder each
    assert second == []
    assert Reminder.objects.filter(status=ReminderStatus.QUEUED).count() == 2


def test_the_conditional_update_lets_only_one_claimer_win(claimed):
    # A second beat that read the row before the first wrote it still cannot take it.
    assert Reminder.objects.filter(pk=claimed.pk, claimed_at=None).update(claimed_at=DUE_DAY) == 0


def test_sending_emails_the_secretary_and_the_organisation_member(claimed, mailoutbox):
    assert deliver_reminder(claimed.pk, now=DUE_DAY) == ReminderStatus.SENT
    assert sorted(m.to[0] for m in mailoutbox) == ["jia@example.cn", "zuzhi@example.cn"]
    message = mailoutbox[0]
    link = f"https://portal.example.cn/tasks/assignments/{claimed.assignment_id}/"
    assert link in message.body
    assert "2030-03-20" in message.body
    assert "7" in message.subject
    assert link in message.alternatives[0][0]
    assert (
        Notification.objects.filter(user__username__in=["secretary_a", "organiser_a"]).count() == 2
    )
    reminder = Reminder.objects.get(pk=claimed.pk)
    assert reminder.status == ReminderStatus.SENT and reminder.sent_at == DUE_DAY
    assert (
        ReminderDelivery.objects.filter(reminder=reminder, status=DeliveryStatus.SENT).count() == 4
    )


def test_sending_again_sends_nothing(claimed, mailoutbox):
    deliver_reminder(claimed.pk, now=DUE_DAY)
    assert deliver_reminder(claimed.pk, now=DUE_DAY) == "already sent"
    assert len(mailoutbox) == 2
    assert Notification.objects.count() == 2


def test_a_retry_after_a_partial_send_skips_who_already_got_it(claimed, settings, mailoutbox):
    FailSecondBackend.calls = 0
    settings.EMAIL_BACKEND = f"{__name__}.FailSecondBackend"
    with pytest.raises(smtplib.SMTPException):
        deliver_reminder(claimed.pk, now=DUE_DAY)
    assert deliver_reminder(claimed.pk, now=DUE_DAY) == ReminderStatus.SENT
    assert sorted(m.to[0] for m in mailoutbox) == ["jia@example.cn", "zuzhi@example.cn"]
    assert Notification.objects.count() == 2


def test_a_person_without_email_gets_the_portal_notification_only(
    personas, claimed, mailoutbox, caplog
):
    personas.people["secretary_a"].__class__.objects.filter(
        pk=personas.people["secretary_a"].pk
    ).update(email="")
    with caplog.at_level(logging.INFO, logger="tasks.reminders"):
        deliver_reminder(claimed.pk, now=DUE_DAY)
    assert [m.to[0] for m in mailoutbox] == ["zuzhi@example.cn"]
    assert Notification.objects.filter(user=personas.user("secretary_a")).count() == 1
    skipped = ReminderDelivery.objects.get(
        person=personas.people["secretary_a"], channel=DeliveryChannel.EMAIL
    )
    assert skipped.status == DeliveryStatus.SKIPPED
    assert "no email address" in caplog.text


def test_a_malformed_address_is_skipped_and_logged(personas, claimed, mailoutbox, caplog):
    personas.people["secretary_a"].__class__.objects.filter(
        pk=personas.people["secretary_a"].pk
    ).update(email="jia at example")
    with caplog.at_level(logging.WARNING, logger="tasks.reminders"):
        assert deliver_reminder(claimed.pk, now=DUE_DAY) == ReminderStatus.SENT
    assert [m.to[0] for m in mailoutbox] == ["zuzhi@example.cn"]
    assert "malformed address" in caplog.text


def test_a_submitted_assignment_is_not_reminded(personas, claimed, mailoutbox):

    Assignment.objects.filter(pk=claimed.assignment_id).update(status=AssignmentStatus.SUBMITTED)
    assert deliver_reminder(claimed.pk, now=DUE_DAY) == ReminderStatus.CANCELLED
    assert mailoutbox == []


def test_smtp_failure_is_retried_then_marked_failed(claimed, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with time_machine.travel(DUE_DAY, tick=False) as clock:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            assert jobs.send_reminder.apply(args=[claimed.pk]).get() == "retry"
            reminder = Reminder.objects.get(pk=claimed.pk)
            assert reminder.attempts == attempt
            if attempt == MAX_ATTEMPTS:
                break
            # Handed back to the beat as a row, due again after a back-off (no broker timer).
            assert reminder.status == ReminderStatus.PLANNED and reminder.claimed_at is None
            assert reminder.due_at == timezone.now() + retry_delay(attempt)
            assert claim_due_reminders(reminder.due_at - timedelta(seconds=1)) == []
            clock.move_to(reminder.due_at)
            assert claim_due_reminders(reminder.due_at) == [claimed.pk]
    assert reminder.status == ReminderStatus.FAILED
    assert "connection lost" in reminder.last_error
    assert reminder.sent_at is None
    assert [retry_delay(n) for n in (1, 2, 3, 8)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(hours=1),
    ]


def test_the_send_task_is_late_acknowledged_and_retries_as_rows():
    assert jobs.send_reminder.acks_late is True
    assert not getattr(jobs.send_reminder, "autoretry_for", ())


@pytest.mark.clock
def test_the_beat_job_claims_and_queues_the_rows_in_batches(assignment, monkeypatch, time_machine):
    queued = []
    monkeypatch.setattr(jobs.send_reminder_batch, "delay", queued.append)
    time_machine.move_to(DUE_DAY, tick=False)
    assert jobs.send_due_reminders() == 2
    claimed = sorted(
        Reminder.objects.filter(status=ReminderStatus.QUEUED).values_list("pk", flat=True)
    )
    assert queued == [claimed]  # one send job for both rows
    assert jobs.send_due_reminders() == 0


@pytest.mark.clock
def test_the_beat_job_queues_a_send_job_per_batch_of_rows(assignment, monkeypatch, time_machine):
    queued = []
    monkeypatch.setattr(jobs.send_reminder_batch, "delay", queued.append)
    monkeypatch.setattr(jobs, "SEND_BATCH", 1)
    time_machine.move_to(DUE_DAY, tick=False)
    assert jobs.send_due_reminders() == 2
    assert [len(ids) for ids in queued] == [1, 1]


def test_the_beat_job_is_scheduled_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    assert entry == {"task": "tasks.send_due_reminders", "schedule": 60.0}


def test_a_cron_pass_hands_a_failure_back_for_the_next_pass(assignment, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    # Branch B's secretary has no address: that one goes out in the portal only.
    assert run_pass(DUE_DAY) == {"retry": 1, ReminderStatus.SENT: 1}
    again = Reminder.objects.get(status=ReminderStatus.PLANNED, offset=7)
    assert again.assignment_id == assignment.pk and again.claimed_at is None
    assert "connection lost" in again.last_error
