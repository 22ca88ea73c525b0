"""Rows claimed but never sent come back; a clock jump sends no burst; the beat job through the
embedded (eager) path; a broker outage during the beat hands the claims back."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from kombu.exceptions import OperationalError

from portal.celery import app
from tasks import jobs
from tasks.models import Reminder, ReminderStatus
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.claiming import (
    beat_pass,
    claim_due_reminders,
    requeue_stale_claims,
    run_pass,
    stale_claim,
)
from tasks.reminders.sending import deliver_reminder
from tests.builders.tasks import assignment_of, published_item
from tests.services import need

DEADLINE = date(2030, 3, 20)
SECRETARIES = ["secretary_a@example.cn", "secretary_b@example.cn"]
DUE = datetime.combine(date(2030, 3, 13), time(9, 5), tzinfo=DEADLINE_TZ)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def item(personas):
    for name in ("secretary_a", "secretary_b"):
        person = personas.people[name]
        person.email = f"{name}@example.cn"
        person.save(update_fields=["email"])
    return published_item(personas.tree["committee"], deadline=DEADLINE)


def test_a_claim_never_sent_is_requeued_after_the_lease_time(item, mailoutbox):
    ids = claim_due_reminders(DUE)  # ...and the worker died, or the message was lost
    assert stale_claim() == timedelta(seconds=60)  # REMINDER_LEASE_SECONDS' default
    assert requeue_stale_claims(DUE + stale_claim() - timedelta(seconds=1)) == 0
    assert requeue_stale_claims(DUE + stale_claim() + timedelta(seconds=1)) == len(ids)
    assert set(beat_pass(DUE + timedelta(minutes=2))) == set(ids)
    for pk in ids:
        deliver_reminder(pk, now=DUE + timedelta(minutes=2))
    assert sorted(m.to[0] for m in mailoutbox) == [
        "secretary_a@example.cn",
        "secretary_b@example.cn",
    ]


def test_the_lease_time_is_a_setting(item, settings):
    settings.REMINDER_LEASE_SECONDS = 5
    ids = claim_due_reminders(DUE)
    assert requeue_stale_claims(DUE + timedelta(seconds=4)) == 0
    assert requeue_stale_claims(DUE + timedelta(seconds=6)) == len(ids)


def test_a_row_under_a_live_lease_is_not_swept(item):
    [pk, *_] = claim_due_reminders(DUE)
    # A worker still sending renews its lease before each recipient: it keeps its row.
    Reminder.objects.filter(pk=pk).update(leased_until=DUE + timedelta(minutes=13))
    requeue_stale_claims(DUE + timedelta(minutes=12))
    assert Reminder.objects.get(pk=pk).status == ReminderStatus.QUEUED
    requeue_stale_claims(DUE + timedelta(minutes=14))
    assert Reminder.objects.get(pk=pk).status == ReminderStatus.PLANNED


def test_sent_and_failed_rows_are_never_swept(item):
    first, second = claim_due_reminders(DUE)
    deliver_reminder(first, now=DUE)
    Reminder.objects.filter(pk=second).update(status=ReminderStatus.FAILED)
    assert requeue_stale_claims(DUE + timedelta(hours=1)) == 0


def test_a_sent_reminder_requeued_by_mistake_sends_nothing_again(item, mailoutbox):
    ids = claim_due_reminders(DUE)
    for pk in ids:
        deliver_reminder(pk, now=DUE)
    # Even a row put back by hand goes to nobody already served.
    Reminder.objects.filter(pk__in=ids).update(
        status=ReminderStatus.QUEUED, sent_at=None, claimed_at=DUE - timedelta(hours=1)
    )
    run_pass(DUE + timedelta(minutes=1))
    assert len(mailoutbox) == 2


def test_a_clock_jump_sends_one_reminder_per_assignment_not_a_burst(personas, item, mailoutbox):
    # The clock leaps from before the first reminder to after the last overdue one.
    counts = run_pass(datetime.combine(date(2030, 4, 30), time(10), tzinfo=DEADLINE_TZ))
    assert counts == {ReminderStatus.SENT: 4}  # a reminder per assignment and two digests
    assert Reminder.objects.filter(assignment__isnull=False, status="sent").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "secretary_a@example.cn",
        "secretary_b@example.cn",
    ]
    a = assignment_of(item, personas.tree["branch_a"])
    rows = Reminder.objects.filter(assignment=a)
    assert rows.filter(status=ReminderStatus.SENT).count() == 1
    assert (
        rows.filter(status=ReminderStatus.CANCELLED, last_error__startswith="superseded").count()
        == 6
    )
    # ...and when it jumps back, nothing already sent goes out again.
    run_pass(DUE)
    assert len(mailoutbox) == 2


def test_a_pass_claims_up_to_its_limit_and_the_next_takes_the_rest(item):
    first = claim_due_reminders(DUE, limit=1)
    second = claim_due_reminders(DUE, limit=1)
    assert len(first) == len(second) == 1
    assert first != second
    assert claim_due_reminders(DUE) == []
    assert Reminder.objects.filter(status=ReminderStatus.QUEUED).count() == 2


def test_the_beat_job_hands_claims_back_when_the_broker_is_down(item):
    with mock.patch.object(jobs.send_reminder_batch, "delay", side_effect=OperationalError("down")):
        with mock.patch("tasks.jobs.beat_pass", side_effect=lambda: beat_pass(DUE)):
            assert jobs.send_due_reminders() == 0
    assert (
        set(Reminder.objects.filter(claimed_at__isnull=False).values_list("pk", flat=True)) == set()
    )
    assert len(claim_due_reminders(DUE)) == 2  # the next beat takes them


def test_the_beat_job_runs_the_pass_in_the_embedded_eager_mode(item, mailoutbox, monkeypatch):
    """`make run` without Redis: the same job, here with eager execution of the sends."""
    previous, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        # The sends read the clock themselves (quiet hours are checked at delivery too).
        with time_machine.travel(DUE, tick=False):
            result = jobs.send_due_reminders.delay()
    finally:
        app.conf.task_always_eager = previous
    assert result.get() == 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "secretary_a@example.cn",
        "secretary_b@example.cn",
    ]
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == 2


def test_the_beat_schedule_runs_the_pass_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-reminders"]
    assert entry["task"] == "tasks.send_due_reminders" and entry["schedule"] == 60.0
    assert "tasks.send_due_reminders" in app.tasks


def test_a_claim_rewrites_the_row_in_place_on_postgresql(item):
    """The pass's speed rests on this: claiming changes no indexed column, so PostgreSQL makes
    a heap-only (HOT) update and writes no index entry. An index on status or claimed_at
    would silently double the cost of a pass."""

    need("PostgreSQL", connection.vendor == "postgresql", "the test database is not PostgreSQL")

    def updates() -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables "
                "WHERE relname = 'tasks_reminder'"
            )
            return cursor.fetchone() or (0, 0)

    before = updates()
    claimed = claim_due_reminders(DUE)
    after = updates()
    assert len(claimed) == 2
    assert after[0] - before[0] == 2  # two rows claimed...
    assert after[1] - before[1] == 2  # ...both rewritten in place
