"""Reminders with REAL worker processes against a REAL Redis: exactly once, whatever happens.

(a) a worker killed with SIGKILL in the middle of sending: the broker redelivers (acks_late and
    a short visibility timeout) and the delivery rows keep the recipient already served from a
    second email; (b) two beat passes in two processes at once: each reminder goes out once;
(c) Redis restarting (our own server on another port, never the shared one): messages lost with
    it are re-queued by the sweep, claims made while it was down are handed back, none is lost.

Emails are appended by the workers to one file, so the test counts them across processes.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from branches.models import RoleKind
from tasks.jobs import send_due_reminders
from tasks.models import Reminder, ReminderStatus
from tests.builders.branches import make_person
from tests.celery_worker import wait_until
from tests.tasks.reminder_workers import (
    BEAT,
    BROKER,
    OWN_BROKER,
    WORKER,
    WORKER_TEST_MARKS,
    all_sent,
    assert_each_email_once,
    due_reminders,
    process,
    publishing_to,
    sent_mail,
    worker_env,
)

pytestmark = WORKER_TEST_MARKS


def test_a_worker_killed_while_sending_sends_each_email_once(
    services_up, personas, mail_log, tmp_path
):
    [reminder] = due_reminders(personas, 1)[:1] or [None]

    # A second recipient in the branch, so the kill lands between two emails.
    branch = reminder.assignment.branch
    make_person(
        "组织委员", branch, email="zuzhi@example.cn", roles=[(RoleKind.ORGANISATION_MEMBER, branch)]
    )
    Reminder.objects.exclude(pk=reminder.pk).filter(status=ReminderStatus.PLANNED).update(
        due_at=timezone.now() + timedelta(days=30)
    )
    slow = worker_env(BROKER, mail_log, tmp_path, REMINDER_TEST_SEND_DELAY="2")
    with publishing_to(BROKER):
        with process(WORKER, slow) as first:
            assert send_due_reminders() == 1
            assert wait_until(lambda: sum(sent_mail(mail_log).values()) == 1, timeout=30)
            time.sleep(0.5)  # the first delivery row is written; the second email is sleeping
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        assert Reminder.objects.get(pk=reminder.pk).sent_at is None
        with process(WORKER, worker_env(BROKER, mail_log, tmp_path)):
            assert wait_until(lambda: all_sent([reminder.pk]), timeout=40)
    secretary = "a" if branch == personas.tree["branch_a"] else "b"
    mail = sent_mail(mail_log)
    addresses = sorted(line.split("\t")[0] for line in mail)
    assert addresses == [f"secretary_{secretary}@example.cn", "zuzhi@example.cn"], mail
    assert max(mail.values()) == 1, mail


def test_two_beat_passes_at_once_send_each_reminder_once(services_up, personas, mail_log, tmp_path):
    rows = due_reminders(personas, 15)
    ids = [r.pk for r in rows]
    go = tmp_path / "go"
    env = worker_env(BROKER, mail_log, tmp_path, GO_FILE=str(go))
    with publishing_to(BROKER):
        with (
            process(WORKER, env),
            process(BEAT, env) as beat_one,
            process(BEAT, env) as beat_two,
        ):
            time.sleep(1.5)  # both beats imported Django and wait at the barrier
            go.touch()
            outputs = [
                int(p.communicate(timeout=60)[0].decode().strip().splitlines()[-1])
                for p in (beat_one, beat_two)
            ]
            assert sum(outputs) == len(ids), outputs  # every row claimed by exactly one
            assert wait_until(lambda: all_sent(ids), timeout=40)
    assert_each_email_once(mail_log, ids)


def test_no_reminder_is_lost_when_redis_restarts(
    services_up, personas, mail_log, tmp_path, own_redis
):

    start, stop = own_redis
    first = [r.pk for r in due_reminders(personas, 3)]
    with publishing_to(OWN_BROKER):
        # 1. Queued while no worker runs, then Redis restarts: those messages are lost.
        assert send_due_reminders() == len(first)
        stop()
        start()
        # 2. A beat while Redis is down: the claims are handed back at once.
        second = [r.pk for r in due_reminders(personas, 2)]
        stop()
        assert send_due_reminders() == 0
        assert not Reminder.objects.filter(pk__in=second, claimed_at__isnull=False).exists()
        start()
        with process(WORKER, worker_env(OWN_BROKER, mail_log, tmp_path)):
            # Ten minutes later the sweep finds the first rows claimed but never sent (moved
            # back in time: both when they fell due and when they were claimed).
            Reminder.objects.filter(pk__in=first).update(
                due_at=F("due_at") - timedelta(minutes=11),
                claimed_at=F("claimed_at") - timedelta(minutes=11),
            )
            assert send_due_reminders() == len(first) + len(second)
            assert wait_until(lambda: all_sent(first + second), timeout=40)
            # 3. Redis restarts under a running worker: it reconnects and carries on.
            stop()
            start()
            third = [r.pk for r in due_reminders(personas, 2)]
            assert send_due_reminders() == len(third)
            assert wait_until(lambda: all_sent(third), timeout=60)
    assert_each_email_once(mail_log, first + second + third)


# --- exactly once at delivery: a prefork pool, a kill at the SMTP call, double publishes ------
