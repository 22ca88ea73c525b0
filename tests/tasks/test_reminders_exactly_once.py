"""Exactly once at delivery: "sending" before the SMTP call, a fixed Message-ID, a lease per
reminder, quiet hours checked again when a row is finally sent, and the office's figures."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from branches.models import RoleKind
from tasks.models import (
    DeliveryChannel,
    DeliveryStatus,
    Reminder,
    ReminderDelivery,
    ReminderPolicy,
    ReminderStatus,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.claiming import beat_pass, claim_due_reminders, requeue_stale_claims
from tasks.reminders.lease import LeaseLost, take_lease
from tasks.reminders.sending import deliver_reminder
from tests.builders.branches import make_person
from tests.builders.tasks import assignment_of, published_item

DEADLINE = date(2030, 3, 20)
DUE = datetime.combine(date(2030, 3, 13), time(9, 5), tzinfo=DEADLINE_TZ)


def _reminder_of(message) -> int:
    """The reminder id in a Message-ID "<reminder-12.person-34@host>"."""
    return int(message.extra_headers["Message-ID"].split(".")[0].removeprefix("<reminder-"))


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except OSError catches it."""


class KilledAfterSending(EmailBackend):
    """Hands the message over (it reaches the outbox), then the process dies."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise Killed


class Inspecting(EmailBackend):
    """Notes the email's delivery row as it stands during the SMTP call."""

    seen: list[tuple] = []

    def send_messages(self, messages):
        address = messages[0].to[0]
        Inspecting.seen.append(
            ReminderDelivery.objects.filter(channel=DeliveryChannel.EMAIL, address=address)
            .values_list("status", "attempt_id", "sent_at")
            .get()
        )
        return super().send_messages(messages)


class SecondMessageMeanwhile(EmailBackend):
    """While the first email is being sent, a second message for the same row arrives."""

    outcomes: list[str] = []

    def send_messages(self, messages):
        SecondMessageMeanwhile.outcomes.append(deliver_reminder(_reminder_of(messages[0]), now=DUE))
        return super().send_messages(messages)


class LeaseTakenOver(EmailBackend):
    """The first send hangs past the lease; another worker takes the row over meanwhile."""

    def send_messages(self, messages):
        reminder_id = _reminder_of(messages[0])
        Reminder.objects.filter(pk=reminder_id).update(leased_until=None, lease_token=None)
        take_lease(reminder_id, DUE)
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.cn"


@pytest.fixture
def claimed(personas) -> Reminder:
    """Branch A's 7-day reminder, claimed; two recipients with addresses; quiet hours at the
    built-in 21:00–08:00."""
    ReminderPolicy.objects.filter(is_default=True).update(quiet_start_hour=21, quiet_end_hour=8)
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
    assignment = assignment_of(item, personas.tree["branch_a"])
    ids = claim_due_reminders(DUE)
    return Reminder.objects.get(pk__in=ids, assignment=assignment)


def _email_rows(reminder):
    return ReminderDelivery.objects.filter(reminder=reminder, channel=DeliveryChannel.EMAIL)


def test_each_email_carries_a_message_id_of_its_reminder_and_recipient(claimed, personas):
    assert deliver_reminder(claimed.pk, now=DUE) == ReminderStatus.SENT
    ids = sorted(m.extra_headers["Message-ID"] for m in mail.outbox)
    people = sorted(_email_rows(claimed).values_list("person_id", flat=True))
    assert ids == sorted(f"<reminder-{claimed.pk}.person-{p}@portal.example.cn>" for p in people)
    assert all(m.message()["Message-ID"] in ids for m in mail.outbox)


def test_an_email_is_recorded_sending_before_the_smtp_call(claimed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.Inspecting"
    Inspecting.seen = []
    deliver_reminder(claimed.pk, now=DUE)
    seen = Inspecting.seen
    assert [status for status, _attempt, _at in seen] == [DeliveryStatus.SENDING] * 2
    assert all(attempt is not None and at is None for _status, attempt, at in seen)
    assert set(_email_rows(claimed).values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_crash_after_the_smtp_call_resends_the_same_message_once(claimed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.KilledAfterSending"
    with pytest.raises(Killed):
        deliver_reminder(claimed.pk, now=DUE)
    [interrupted] = _email_rows(claimed)
    assert interrupted.status == DeliveryStatus.SENDING
    first_id = mail.outbox[0].extra_headers["Message-ID"]
    # A real kill leaves the lease to run out: until then a redelivery sends nothing.
    Reminder.objects.filter(pk=claimed.pk).update(leased_until=DUE + timedelta(seconds=60))
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_reminder(claimed.pk, now=DUE + timedelta(seconds=30)) == "busy"
    assert len(mail.outbox) == 1
    # Then the sweep puts it back, the beat claims it and the resend goes out.
    later = DUE + timedelta(minutes=3)
    requeue_stale_claims(later)  # (branch B's row, never sent here, comes back too)
    assert Reminder.objects.get(pk=claimed.pk).status == ReminderStatus.PLANNED
    assert claimed.pk in beat_pass(later)
    assert deliver_reminder(claimed.pk, now=later) == ReminderStatus.SENT
    to_first = [m for m in mail.outbox if m.to == mail.outbox[0].to]
    assert [m.extra_headers["Message-ID"] for m in to_first] == [first_id, first_id]
    assert len(mail.outbox) == 3  # the first recipient twice (same message), the other once
    again = _email_rows(claimed).get(pk=interrupted.pk)
    assert again.status == DeliveryStatus.SENT and again.possibly_duplicated
    other = _email_rows(claimed).exclude(pk=interrupted.pk).get()
    assert other.status == DeliveryStatus.SENT and not other.possibly_duplicated
    assert deliver_reminder(claimed.pk, now=later) == "already sent"


def test_a_second_message_for_a_row_being_sent_sends_nothing(claimed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.SecondMessageMeanwhile"
    SecondMessageMeanwhile.outcomes = []
    assert deliver_reminder(claimed.pk, now=DUE) == ReminderStatus.SENT
    assert SecondMessageMeanwhile.outcomes == ["busy", "busy"]
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["jia@example.cn", "zuzhi@example.cn"]


def test_a_worker_whose_lease_was_taken_over_stops_before_the_next_recipient(claimed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.LeaseTakenOver"
    assert deliver_reminder(claimed.pk, now=DUE) == "lease lost"
    assert len(mail.outbox) == 1
    assert Reminder.objects.get(pk=claimed.pk).sent_at is None


def test_renewing_a_lost_lease_raises(claimed):
    first = take_lease(claimed.pk, DUE)
    assert take_lease(claimed.pk, DUE + timedelta(seconds=30)) is None
    second = take_lease(claimed.pk, DUE + timedelta(seconds=61))
    assert first is not None and second is not None
    with pytest.raises(LeaseLost):
        first.renew()
    second.renew()


def test_a_row_claimed_before_quiet_hours_and_reached_at_night_waits_for_morning(claimed):
    night = datetime.combine(date(2030, 3, 14), time(1, 2), tzinfo=DEADLINE_TZ)
    attempts = Reminder.objects.get(pk=claimed.pk).attempts
    assert deliver_reminder(claimed.pk, now=night) == "held"
    assert mail.outbox == []
    held = Reminder.objects.get(pk=claimed.pk)
    morning = datetime.combine(date(2030, 3, 14), time(8), tzinfo=DEADLINE_TZ)
    assert held.status == ReminderStatus.PLANNED and held.claimed_at is None
    assert held.due_at == morning and held.attempts == attempts
    assert held.leased_until is None
    assert claim_due_reminders(morning - timedelta(minutes=1)) == []
    assert claimed.pk in claim_due_reminders(morning)
    assert deliver_reminder(claimed.pk, now=morning) == ReminderStatus.SENT
    assert len(mail.outbox) == 2


def test_the_office_sees_emails_possibly_sent_twice(claimed, personas, settings):
    settings.EMAIL_BACKEND = f"{__name__}.KilledAfterSending"
    with pytest.raises(Killed):
        deliver_reminder(claimed.pk, now=DUE)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_reminder(claimed.pk, now=DUE) == ReminderStatus.SENT
    with time_machine.travel(DUE + timedelta(days=1), tick=False):
        page = personas.client("office").get(reverse("tasks:failed_reminders"))
    assert page.context["figures"] == {"sent": 2, "possibly_duplicated": 1}
    assert "delivery-figures" in page.content.decode()
    detail = personas.client("office").get(
        reverse("tasks:assignment_detail", args=[claimed.assignment_id])
    )
    assert "text-bg-warning" in detail.content.decode()
