"""Exactly once at delivery, with REAL worker processes: a prefork pool process killed right
before and right after the SMTP call, a worker killed while its senders share a batch, one
claimed row published twice, messages lost with Redis, and Celery's own beat service with a
pool worker. Every reminder reaches its recipient; a second copy only where the kill came
after the mail server had it, with the same Message-ID and counted as possibly duplicated.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tasks.jobs import send_due_reminders, send_reminder
from tasks.models import ReminderDelivery
from tasks.reminders.claiming import claim_due_reminders
from tests.celery_worker import wait_until
from tests.tasks.reminder_workers import (
    BROKER,
    CELERY_BEAT,
    OWN_BROKER,
    SHORT_LEASE,
    WORKER,
    WORKER_PREFORK,
    WORKER_TEST_MARKS,
    all_sent,
    assert_each_email_once,
    assert_none_lost_and_one_message_each,
    beat_until,
    due_reminders,
    process,
    publishing_to,
    quiet_hours_off,
    sent_mail,
    worker_env,
)

pytestmark = WORKER_TEST_MARKS


@pytest.mark.parametrize("point", ["before", "after"])
def test_a_pool_process_killed_at_the_smtp_call_loses_nothing_and_resends_the_same_message(
    services_up, personas, mail_log, tmp_path, settings, point
):
    """kill -9 of the pool process right before the SMTP call ("sending" committed) and right
    after it (the email handed over, "sent" not yet recorded)."""

    settings.REMINDER_LEASE_SECONDS = SHORT_LEASE  # this process runs the sweep
    quiet_hours_off()
    ids = [r.pk for r in due_reminders(personas, 2)]
    hold = tmp_path / "hold"
    env = worker_env(
        BROKER,
        mail_log,
        tmp_path,
        REMINDER_TEST_HOLD=point,
        REMINDER_TEST_HOLD_FILE=str(hold),
        REMINDER_LEASE_SECONDS=str(SHORT_LEASE),
    )
    with publishing_to(BROKER):
        with process(WORKER_PREFORK, env) as worker:
            assert send_due_reminders() == len(ids)
            assert wait_until(lambda: hold.exists() and hold.read_text(), timeout=120)
            child = int(hold.read_text())
            assert child != worker.pid  # a pool process, not the parent
            os.kill(child, signal.SIGKILL)
            Path(f"{hold}.release").touch()
            assert beat_until(lambda: all_sent(ids), timeout=90)
            assert worker.poll() is None  # the parent lives on
    copies = assert_none_lost_and_one_message_each(mail_log, ids)
    # Only the email of the killed attempt can have gone out twice, and only if the kill came
    # after the mail server had it; either way it is counted as possibly duplicated.
    assert sorted(copies.values()) == ([1] * (len(ids) - 1) + [2 if point == "after" else 1])
    flagged = ReminderDelivery.objects.filter(channel="email", possibly_duplicated=True)
    assert flagged.count() == 1 and flagged.get().status == "sent"


def test_a_worker_killed_while_its_senders_share_a_batch_loses_nothing(
    services_up, personas, mail_log, tmp_path, settings
):
    """One send job for 24 rows, shared by two sender threads of one worker (several emails
    at a time), killed with SIGKILL mid-batch: at most one email per sender was between its
    "sending" and its "sent", so at most that many go out a second time (same Message-ID,
    counted), and none is lost."""

    settings.REMINDER_LEASE_SECONDS = SHORT_LEASE  # this process runs the sweep
    quiet_hours_off()
    ids = [r.pk for r in due_reminders(personas, 12)]
    assert len(ids) == 24  # two branches per task: two senders (ROWS_PER_SENDER 10)
    env = worker_env(
        BROKER,
        mail_log,
        tmp_path,
        REMINDER_TEST_SEND_DELAY="0.3",
        REMINDER_SENDERS="3",
        REMINDER_LEASE_SECONDS=str(SHORT_LEASE),
    )
    with publishing_to(BROKER):
        with process(WORKER, env) as first:
            assert send_due_reminders() == len(ids)
            assert wait_until(lambda: sum(sent_mail(mail_log).values()) >= 6, timeout=60)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        assert not all_sent(ids)
        again = worker_env(BROKER, mail_log, tmp_path, REMINDER_LEASE_SECONDS=str(SHORT_LEASE))
        with process(WORKER, again):
            assert beat_until(lambda: all_sent(ids), timeout=120)
    copies = assert_none_lost_and_one_message_each(mail_log, ids)
    twice = [pair for pair, count in copies.items() if count > 1]
    assert max(copies.values()) <= 2 and len(twice) <= 2, copies
    flagged = ReminderDelivery.objects.filter(channel="email", possibly_duplicated=True)
    assert len(twice) <= flagged.count() <= 2
    assert set(flagged.values_list("status", flat=True)) <= {"sent"}


def test_one_claimed_id_published_twice_is_sent_once(services_up, personas, mail_log, tmp_path):
    """An ambiguous publish retried, or a release and re-claim while the first message still
    waits: two messages for one row, taken by two pool processes at the same moment."""

    quiet_hours_off()
    due_reminders(personas, 6)
    ids = claim_due_reminders()
    env = worker_env(BROKER, mail_log, tmp_path, REMINDER_TEST_SEND_DELAY="0.3")
    with publishing_to(BROKER):
        for pk in ids:
            send_reminder.delay(pk)
            send_reminder.delay(pk)
        with process(WORKER_PREFORK, env):
            assert wait_until(lambda: all_sent(ids), timeout=90)
            time.sleep(2)  # the second copies finish too
    assert_each_email_once(mail_log, ids)


def test_messages_lost_with_redis_come_back_in_seconds(
    services_up, personas, mail_log, tmp_path, own_redis, settings
):
    """No clock moved: the sweep's wait is the short lease (REMINDER_LEASE_SECONDS)."""

    settings.REMINDER_LEASE_SECONDS = SHORT_LEASE
    start, stop = own_redis
    quiet_hours_off()
    ids = [r.pk for r in due_reminders(personas, 3)]
    env = worker_env(OWN_BROKER, mail_log, tmp_path, REMINDER_LEASE_SECONDS=str(SHORT_LEASE))
    with publishing_to(OWN_BROKER):
        assert send_due_reminders() == len(ids)
        stop()  # the queued messages are gone with it
        start()
        with process(WORKER, env):
            began = time.monotonic()
            assert beat_until(lambda: all_sent(ids), timeout=90)
            # Ten minutes before; now the lease and a worker's start on a loaded machine.
            assert time.monotonic() - began < 45
    assert_each_email_once(mail_log, ids)


def test_celery_beat_and_a_pool_worker_send_each_reminder_once(
    services_up, personas, mail_log, tmp_path
):
    quiet_hours_off()
    ids = [r.pk for r in due_reminders(personas, 10)]
    env = worker_env(BROKER, mail_log, tmp_path, BEAT_SCHEDULE_FILE=str(tmp_path / "beat-schedule"))
    with publishing_to(BROKER):
        with process(WORKER_PREFORK, env), process(CELERY_BEAT, env) as beat:
            assert wait_until(lambda: all_sent(ids), timeout=90), beat.poll()
            time.sleep(3)  # three more beats: nothing is sent again
            assert beat.poll() is None  # the beat ran throughout
    assert_each_email_once(mail_log, ids)
