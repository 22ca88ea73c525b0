"""Scaling out: two web instances and two workers over one PostgreSQL and one Redis.

Two gunicorn instances on two ports serve one database (uploads on one shared folder, as on
shared storage); the locust scenario of ``make bench`` is split across them, each half with its
own logins and rows, while one beat pass hands reminders to the broker and two Celery workers
deliver them. Afterwards: every write a user saw succeed is in the database (no lost update:
each successful save, submit or approval raised its assignment's version by one), and every
reminder went out exactly once.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from branches.models import Organisation, OrgKind, Person
from portal.models import AuditEntry
from portal.regional_data import BIG_COMMITTEE_NAME
from tasks.audit_actions import (
    ACTION_ASSIGNMENT_APPROVED,
    ACTION_ASSIGNMENT_SAVED,
    ACTION_ASSIGNMENT_SUBMITTED,
)
from tasks.jobs import send_due_reminders
from tasks.models import (
    OPEN_STATUSES,
    PERSON_KINDS,
    Assignment,
    AssignmentStatus,
    Reminder,
    ReminderKind,
    ReminderPolicy,
)
from tests.celery_worker import use_broker, wait_until
from tests.perf.load import locust_command, plan, read_stats, start_gunicorn
from tests.services import REDIS_URL, need, redis_available
from tests.tasks.reminder_workers import sent_mail

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("SCALE_OUT_TEST_BROKER", REDIS_URL)
LOCUST_SECONDS = 12
USERS_PER_INSTANCE = 8
WRITE_ACTIONS = (ACTION_ASSIGNMENT_SAVED, ACTION_ASSIGNMENT_SUBMITTED, ACTION_ASSIGNMENT_APPROVED)
WRITES = (
    "secretary: save draft",
    "secretary: upload a file",
    "secretary: submit",
    "office: approve",
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WORKER = """
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "tests.tasks.reminder_workers.RecordingBackend"
from portal.celery import app
app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-n", "%s@%%h"])
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER'] or 'postgres'}@{host}/{db['NAME']}"


@contextlib.contextmanager
def _started(*processes: subprocess.Popen):
    try:
        yield processes
    finally:
        for child in processes:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        for child in processes:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait(timeout=10)


def _due_reminders() -> list[int]:
    """One reminder due now for each open assignment of the committees the scenario does not
    touch, and an address for everyone with a login."""
    Person.objects.exclude(user=None).update(email="secretary@scale.example.cn")
    ReminderPolicy.objects.update_or_create(
        is_default=True, defaults={"quiet_start_hour": 0, "quiet_end_hour": 0}
    )
    others = Organisation.objects.filter(kind=OrgKind.COMMITTEE).exclude(name=BIG_COMMITTEE_NAME)
    rows = list(
        Assignment.objects.filter(
            item__area__notice__committee__in=others, status__in=OPEN_STATUSES
        )
        .order_by("pk")
        .values_list("pk", "item__deadline")
    )
    now = timezone.now()
    reminders = Reminder.objects.bulk_create(
        Reminder(
            assignment_id=pk,
            kind=ReminderKind.BEFORE,
            slot=f"{deadline.isoformat()}:scale",
            deadline=deadline,
            offset=1,
            due_at=now - timedelta(minutes=1),
        )
        for pk, deadline in rows
    )
    return [r.pk for r in reminders]


def _sent_reminders(lines) -> set[int]:
    """The reminders behind the mail log's lines (their Message-ID names the reminder)."""
    return {
        int(line.split("\t")[2].split(".")[0].removeprefix("<reminder-"))
        for line in lines.elements()
    }


def _split(whole: dict) -> tuple[dict, dict]:
    """Two halves of the plan: disjoint logins and rows for the writers, readers shared."""
    halves = []
    for n in range(2):
        half = dict(whole)
        half["secretary"] = whole["secretary"][n::2]
        half["office"] = whole["office"][n::2]
        halves.append(half)
    return halves[0], halves[1]


def test_two_web_instances_and_two_workers_share_one_database_and_broker(tmp_path):
    need("PostgreSQL", connection.vendor == "postgresql", "the test database is not PostgreSQL")
    need("Redis", redis_available(BROKER), BROKER)
    call_command("build_regional_data", "--small", stdout=StringIO())
    reminder_ids = _due_reminders()
    assert len(reminder_ids) >= 8
    url = _database_url()
    halves = _split(plan(url))
    versions_before = Assignment.objects.aggregate(v=Sum("version"))["v"]
    approved_before = Assignment.objects.filter(status=AssignmentStatus.APPROVED).count()
    mail_log = tmp_path / "mail.log"
    shared_media = tmp_path / "shared-uploads"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": BROKER,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(shared_media),
        "REMINDER_TEST_MAIL_LOG": str(mail_log),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    with use_broker(BROKER) as app, app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()
    webs = [
        start_gunicorn(
            url, _free_port(), str(shared_media), workers=2, broker=BROKER, extra_env=env
        )
        for _ in range(2)
    ]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER % f"scale-{n}"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
        )
        for n in range(2)
    ]
    with _started(*(web for web, _base in webs), *workers):
        runs = []
        for n, ((_web, base), half) in enumerate(zip(webs, halves, strict=True)):
            plan_path = tmp_path / f"plan-{n}.json"
            plan_path.write_text(json.dumps(half), encoding="utf-8")
            argv, locust_env = locust_command(
                base,
                str(plan_path),
                str(tmp_path / f"load-{n}"),
                users=USERS_PER_INSTANCE,
                seconds=LOCUST_SECONDS,
            )
            runs.append(
                subprocess.Popen(
                    argv,
                    cwd=ROOT,
                    env={**locust_env, "LOAD_PACE": "1"},
                    stdout=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        with _started(*runs):
            # The beat (one, in this process) hands the due reminders to the broker while the
            # users work; either worker may take any of them. The pass may hand over more: the
            # change notices the users' approvals plan, and the day's digests at their hour.
            with use_broker(BROKER):
                assert send_due_reminders() >= len(reminder_ids)
            for run in runs:
                run.wait(timeout=LOCUST_SECONDS + 60)
            assert wait_until(
                lambda: set(reminder_ids) <= _sent_reminders(sent_mail(mail_log)), timeout=60
            )
            wait_until(lambda: False, timeout=2)  # time for a second copy to show up

    stats = [read_stats(str(tmp_path / f"load-{n}")) for n in range(2)]
    for total, _pages in stats:
        assert int(total["Request Count"]) > 0
        assert int(total["Failure Count"]) == 0, total
    written = sum(
        int(page["Request Count"]) - int(page["Failure Count"])
        for _total, pages in stats
        for page in pages
        if page["Name"] in WRITES
    )
    assert written > 0
    # No lost update: every write the server took (its audit entry) raised its assignment's
    # version by one, and every write a user saw succeed is among them. The server may have
    # taken a few more than locust counted: requests in flight when its time ran out.
    versions_after = Assignment.objects.aggregate(v=Sum("version"))["v"]
    taken = AuditEntry.objects.filter(action__in=WRITE_ACTIONS).count()
    assert versions_after - versions_before == taken
    assert written <= taken <= written + 2 * USERS_PER_INSTANCE
    approvals = sum(
        int(page["Request Count"])
        for _total, pages in stats
        for page in pages
        if page["Name"] == "office: approve"
    )
    approved = Assignment.objects.filter(status=AssignmentStatus.APPROVED).count() - approved_before
    assert (
        approved
        == AuditEntry.objects.filter(action=ACTION_ASSIGNMENT_APPROVED).count()
        >= approvals
    )
    # Exactly once: one email per reminder, whichever worker sent it.
    lines = sent_mail(mail_log)
    message_ids = [line.split("\t")[2] for line in lines.elements()]
    assert sorted(message_ids) == sorted(set(message_ids))
    sent_reminders = _sent_reminders(lines)
    assert set(reminder_ids) <= sent_reminders
    # Besides: the change notices of the users' work and the day's digests (the beat plans
    # them at their hour), each to one person; no other deadline reminder was due.
    others = Reminder.objects.filter(pk__in=sent_reminders - set(reminder_ids))
    assert set(others.values_list("kind", flat=True)) <= set(PERSON_KINDS)
    assert all(count == 1 for count in lines.values())
