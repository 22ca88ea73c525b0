"""Real worker processes for the reminder tests: the Celery worker and beat programs they
run, the email backend that records what they send in a file (so that the test counts emails
across processes), and the checks of exactly-once delivery."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from tasks.jobs import send_due_reminders
from tasks.models import Reminder, ReminderKind, ReminderPolicy, ReminderStatus
from tests.builders.tasks import published_item
from tests.celery_worker import use_broker
from tests.services import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
# The test Redis database of this run (TEST_REDIS_URL, flushed, so never a shared one) and a
# port for the test's own server; both overridable, so that two runs on one machine differ.
BROKER = os.environ.get("REMINDER_TEST_BROKER", REDIS_URL)
OWN_REDIS_PORT = int(os.environ.get("REMINDER_TEST_REDIS_PORT", "6391"))
OWN_BROKER = f"redis://127.0.0.1:{OWN_REDIS_PORT}/0"

#: The marks of the test modules that start worker processes.
WORKER_TEST_MARKS = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.clock,
    pytest.mark.django_db(transaction=True),
    # The worker processes read the policy from the database and the real clock.
    pytest.mark.usefixtures("no_quiet_hours"),
]


class RecordingBackend(BaseEmailBackend):
    """Appends "address<TAB>subject<TAB>Message-ID" per message to REMINDER_TEST_MAIL_LOG;
    sleeps first for REMINDER_TEST_SEND_DELAY seconds (a slow SMTP server), so a kill can land
    mid-send. With REMINDER_TEST_HOLD ("before" or "after" the message is handed over) the
    first message sent by any worker blocks there (see ``hold_once``), so the test kills the
    process at exactly that point."""

    def send_messages(self, messages):
        delay = float(os.environ.get("REMINDER_TEST_SEND_DELAY", "0"))
        hold = os.environ.get("REMINDER_TEST_HOLD", "")
        for message in messages:
            time.sleep(delay)
            if hold == "before":
                hold_once()
            with open(os.environ["REMINDER_TEST_MAIL_LOG"], "a", encoding="utf-8") as log:
                message_id = message.extra_headers.get("Message-ID", "")
                log.write(f"{message.to[0]}\t{message.subject}\t{message_id}\n")
            if hold == "after":
                hold_once()
        return len(messages)


def hold_once() -> None:
    """The first caller across all processes writes its pid to REMINDER_TEST_HOLD_FILE and
    waits (to be killed) until the file "<that>.release" exists; later callers pass."""
    path = os.environ["REMINDER_TEST_HOLD_FILE"]
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    deadline = time.monotonic() + 120
    while not os.path.exists(path + ".release") and time.monotonic() < deadline:
        time.sleep(0.05)


def worker_program(*pool: str) -> str:
    """A worker: the portal's Celery app with a short visibility timeout, so that a message of
    a killed worker comes back in seconds instead of an hour, and the recording email backend;
    ``pool`` are the pool's command-line options."""
    return f"""
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "tests.tasks.reminder_workers.RecordingBackend"
from portal.celery import app
app.conf.broker_transport_options = {{
    "visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}}
app.conf.broker_connection_retry_on_startup = True
app.worker_main(["worker", *{list(pool)!r}, "--loglevel=WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"])
"""


WORKER = worker_program("--pool=solo")
# A prefork pool of two: a kill hits one pool process (the child that is sending), not the
# parent, which replaces it and carries on.
WORKER_PREFORK = worker_program("--pool=prefork", "--concurrency=2")

# One beat pass, started at the same instant as its twin (both wait for the go file).
BEAT = """
import os, time
import django
django.setup()
while not os.path.exists(os.environ["GO_FILE"]):
    time.sleep(0.01)
from tasks.jobs import send_due_reminders
print(send_due_reminders())
"""


def sent_mail(log: Path) -> Counter:
    if not log.exists():
        return Counter()
    return Counter(line for line in log.read_text(encoding="utf-8").splitlines() if line)


def worker_env(broker: str, mail_log: Path, tmp: Path, **extra) -> dict[str, str]:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"{url}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        "PORTAL_VAR_DIR": str(tmp / "var"),
        "REMINDER_TEST_MAIL_LOG": str(mail_log),
        "PYTHONPATH": str(ROOT),
        # A killed worker's lease runs out in seconds (longer than any send here).
        "REMINDER_LEASE_SECONDS": "5",
        **extra,
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


@contextlib.contextmanager
def process(code: str, env: dict[str, str]):
    """A child Python process, always killed at the end."""
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)


@contextlib.contextmanager
def publishing_to(broker: str):
    """The test process's own publishes (the beat pass run here) go to ``broker``."""
    with use_broker(broker, visibility_timeout=3) as app:
        with app.connection_for_write() as conn:
            conn.default_channel.client.flushdb()
        yield app


def due_reminders(personas, count: int) -> list[Reminder]:
    """``count`` items, each with one reminder per branch due now."""

    for name in ("secretary_a", "secretary_b"):
        person = personas.people[name]
        person.email = f"{name}@example.cn"
        person.save(update_fields=["email"])
    items = [
        published_item(
            personas.tree["committee"], title=f"材料{len(personas.tree)}-{n}-{time.time_ns()}"
        )
        for n in range(count)
    ]
    rows = []
    for item in items:
        for reminder in (
            Reminder.objects.filter(assignment__item=item, kind=ReminderKind.BEFORE)
            .order_by("assignment_id", "due_at")
            .distinct()
        ):
            if reminder.assignment_id not in {r.assignment_id for r in rows}:
                rows.append(reminder)
    Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    return rows


def all_sent(ids) -> bool:
    return Reminder.objects.filter(pk__in=ids, status=ReminderStatus.SENT).count() == len(ids)


def assert_each_email_once(mail_log: Path, ids) -> None:
    mail = sent_mail(mail_log)
    assert mail and max(mail.values()) == 1, mail
    # One email per reminder and recipient with an address (one secretary per branch).
    assert sum(mail.values()) == len(ids), mail


def real_clock_env() -> dict[str, str]:
    """This environment without a faked clock (libfaketime): a server is a process of its own
    with the real clock, like PostgreSQL, and redis-server hangs under libfaketime."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FAKETIME") and not (name == "LD_PRELOAD" and "faketime" in value)
    }


#: The lease (and so the sweep's wait) of these tests, in the workers and in this process:
#: short, yet longer than one send on a loaded machine.
SHORT_LEASE = 5


def quiet_hours_off() -> None:
    """A default policy row without quiet hours, whatever the time of day (the flush between
    these tests removes the row the migration created)."""
    ReminderPolicy.objects.update_or_create(
        is_default=True, defaults={"quiet_start_hour": 0, "quiet_end_hour": 0}
    )


def beat_until(condition, timeout: float) -> bool:
    """Run the beat's job here (sweep, claim, publish) every half second until ``condition``."""

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        send_due_reminders()
        time.sleep(0.5)
    return condition()


def mail_lines(log: Path) -> list[tuple[str, str, str]]:
    """(address, subject, Message-ID) per email handed to the mail server, in order."""
    if not log.exists():
        return []
    return [
        tuple(line.split("\t")) for line in log.read_text(encoding="utf-8").splitlines() if line
    ]


def assert_none_lost_and_one_message_each(log: Path, ids) -> Counter:
    """Every reminder reached its recipient, and never as two different messages: all the
    copies to one (recipient, reminder) carry the same Message-ID. Returns copies per pair."""
    lines = mail_lines(log)
    message_ids: dict[tuple[str, str], set[str]] = {}
    for address, subject, message_id in lines:
        assert message_id.startswith("<reminder-") and message_id.endswith(">"), message_id
        message_ids.setdefault((address, subject), set()).add(message_id)
    assert len(message_ids) == len(ids), lines  # one recipient with an address per reminder
    assert all(len(found) == 1 for found in message_ids.values()), message_ids
    return Counter((address, subject) for address, subject, _id in lines)


# Celery's own beat service (not a pass called from the test), with the production schedule's
# reminder and outbox jobs run every second instead of every minute.
CELERY_BEAT = """
import os
import django
django.setup()
from portal.celery import app
app.conf.beat_schedule = {
    "send-due-reminders": {"task": "tasks.send_due_reminders", "schedule": 1.0},
    "publish-outbox": {"task": "portal.publish_outbox", "schedule": 1.0},
}
app.conf.broker_connection_retry_on_startup = True
app.Beat(schedule=os.environ["BEAT_SCHEDULE_FILE"], max_interval=1, loglevel="WARNING").run()
"""
