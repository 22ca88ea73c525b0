"""A send job's batch of claimed rows: each row as if sent alone (its lease, its delivery rows),
one SMTP connection per sender, one round trip to the database per email, and an email
recorded "sent" before the next one is handed over."""

from __future__ import annotations

import smtplib
import threading
from datetime import date, datetime, time

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from tasks.models import (
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderStatus,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders import batch
from tasks.reminders.claiming import claim_due_reminders
from tasks.reminders.lease import take_lease
from tasks.reminders.sending import deliver_batch
from tests.builders.tasks import published_item
from tests.services import need

DEADLINE = date(2030, 3, 20)
DUE = datetime.combine(date(2030, 3, 13), time(9, 5), tzinfo=DEADLINE_TZ)


class CountingBackend(EmailBackend):
    """Counts the connections opened and notes which thread handed each message over."""

    lock = threading.Lock()
    opened = 0
    threads: list[str] = []

    @classmethod
    def reset(cls) -> None:
        cls.opened, cls.threads = 0, []

    def open(self):
        with CountingBackend.lock:
            CountingBackend.opened += 1
        return True

    def send_messages(self, messages):
        with CountingBackend.lock:
            CountingBackend.threads.append(threading.current_thread().name)
        return super().send_messages(messages)


class FailSecond(CountingBackend):
    """The second message fails, as when the mail server drops the connection."""

    def send_messages(self, messages):
        if len(CountingBackend.threads) == 1:
            CountingBackend.threads.append("failed")
            raise smtplib.SMTPServerDisconnected("dropped")
        return super().send_messages(messages)


class Inspecting(CountingBackend):
    """Notes, at each SMTP call, the email delivery rows as they stand."""

    seen: list[dict[str, str]] = []

    def send_messages(self, messages):
        Inspecting.seen.append(
            dict(
                ReminderDelivery.objects.filter(channel=DeliveryChannel.EMAIL).values_list(
                    "reminder_id", "status"
                )
            )
        )
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    CountingBackend.reset()


@pytest.fixture
def claimed(personas) -> list[int]:
    """Six claimed rows: three tasks, the 7-day reminder of branches A and B each; one
    secretary with an address and a login per branch."""
    for name in ("secretary_a", "secretary_b"):
        person = personas.people[name]
        person.email = f"{name}@example.cn"
        person.save(update_fields=["email"])
    for n in range(3):
        published_item(personas.tree["committee"], deadline=DEADLINE, title=f"材料{n}")
    ids = claim_due_reminders(DUE)
    assert len(ids) == 6
    return ids


def _email_status(ids) -> dict[int, str]:
    return dict(
        ReminderDelivery.objects.filter(
            reminder_id__in=ids, channel=DeliveryChannel.EMAIL
        ).values_list("reminder_id", "status")
    )


def test_a_batch_sends_each_email_once_over_one_connection(claimed, mailoutbox):
    assert deliver_batch(claimed, now=DUE) == dict.fromkeys(claimed, ReminderStatus.SENT)
    message_ids = [m.extra_headers["Message-ID"] for m in mailoutbox]
    assert len(message_ids) == len(set(message_ids)) == len(claimed)
    assert CountingBackend.opened == 1
    assert set(Reminder.objects.filter(pk__in=claimed).values_list("status", flat=True)) == {
        ReminderStatus.SENT
    }
    assert set(_email_status(claimed).values()) == {DeliveryStatus.SENT}
    assert Notification.objects.count() == len(claimed)
    assert deliver_batch(claimed, now=DUE) == dict.fromkeys(claimed, "already sent")
    assert len(mailoutbox) == len(claimed)


def test_each_email_costs_one_round_trip_to_postgresql(claimed, django_assert_num_queries):
    # Read once for the batch: the rows, the policy, the recipients, who is served already;
    # then per email one step (the lease, the notification, "sending", and the previous
    # email's "sent"); then the last email's "sent" and its row's. (SQLite runs a step's
    # statements one by one: a round trip costs it nothing.)
    need("PostgreSQL", connection.vendor == "postgresql", "the test database is not PostgreSQL")
    with django_assert_num_queries(4 + len(claimed) + 1):
        deliver_batch(claimed, now=DUE)


def test_an_email_is_recorded_sent_before_the_next_is_handed_over(claimed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.Inspecting"
    Inspecting.seen = []
    deliver_batch(claimed, now=DUE)
    for n, seen in enumerate(Inspecting.seen):
        assert list(seen.values()) == [DeliveryStatus.SENT] * n + [DeliveryStatus.SENDING]


def test_an_smtp_error_hands_its_row_back_and_the_batch_goes_on(claimed, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.FailSecond"
    outcomes = deliver_batch(claimed, now=DUE)
    [failed] = [pk for pk, outcome in outcomes.items() if outcome == "retry"]
    assert failed == claimed[1]
    assert all(outcomes[pk] == ReminderStatus.SENT for pk in claimed if pk != failed)
    again = Reminder.objects.get(pk=failed)
    assert again.status == ReminderStatus.PLANNED and again.claimed_at is None
    assert again.attempts == 1 and "dropped" in again.last_error
    assert _email_status([failed]) == {failed: DeliveryStatus.FAILED}
    assert len(mailoutbox) == len(claimed) - 1
    assert CountingBackend.opened == 2  # the broken connection was dropped, a new one opened


def test_a_row_another_worker_holds_is_left_to_it(claimed, mailoutbox):
    held = claimed[2]
    assert take_lease(held, DUE) is not None
    outcomes = deliver_batch(claimed, now=DUE)
    assert outcomes[held] == "busy"
    assert all(outcomes[pk] == ReminderStatus.SENT for pk in claimed if pk != held)
    # The email handed over just before is recorded all the same.
    assert Reminder.objects.get(pk=claimed[1]).status == ReminderStatus.SENT
    assert _email_status(claimed) == {pk: DeliveryStatus.SENT for pk in claimed if pk != held}
    assert not ReminderDelivery.objects.filter(reminder_id=held).exists()
    assert len(mailoutbox) == len(claimed) - 1


def test_a_batch_inside_a_transaction_has_one_sender(claimed):
    assert connection.in_atomic_block  # the test's own transaction
    assert batch.senders_for(1000) == 1


@pytest.mark.django_db(transaction=True)
def test_several_senders_share_a_batch(claimed, monkeypatch, settings, mailoutbox):
    """On PostgreSQL, outside a transaction: three threads, each with its own database and
    SMTP connection, each row sent once."""
    need("PostgreSQL", connection.vendor == "postgresql", "the test database is not PostgreSQL")
    settings.REMINDER_SENDERS = 3
    monkeypatch.setattr(batch, "ROWS_PER_SENDER", 2)
    assert batch.senders_for(len(claimed)) == 3
    assert deliver_batch(claimed, now=DUE) == dict.fromkeys(claimed, ReminderStatus.SENT)
    assert len({m.extra_headers["Message-ID"] for m in mailoutbox}) == len(mailoutbox) == 6
    assert CountingBackend.opened == 3
    assert len(set(CountingBackend.threads)) == 3
    assert all(name.startswith("reminder-sender") for name in CountingBackend.threads)
    assert set(_email_status(claimed).values()) == {DeliveryStatus.SENT}
    assert Notification.objects.count() == 6
