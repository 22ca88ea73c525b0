"""Reminders with REAL worker processes against a REAL Redis: exactly once, whatever happens.

(a) a worker killed with SIGKILL in the middle of sending: the broker redelivers (acks_late and
    a short visibility timeout) and the delivery rows keep the recipient already served from a
    second email; (b) two beat passes in two processes at once: each reminder goes out once;
(c) Redis restarting (our own server on another port, never the shared one): messages lost with
    it are re-queued by the sweep, claims made while it was down are handed back, none is lost.

Emails are appended by the workers to one file, so the test counts them across processes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
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
from django.db import connection
from django.db.models import F
from django.utils import timezone

from branches.models import RoleKind
from tasks.jobs import send_due_reminders, send_reminder
from tasks.models import Reminder, ReminderDelivery, ReminderKind, ReminderPolicy, ReminderStatus
from tasks.reminders.claiming import claim_due_reminders
from tests.builders.branches import make_person
from tests.builders.tasks import published_item
from tests.celery_worker import use_broker, wait_until
from tests.services import REDIS_URL, need, port_open, redis_available

ROOT = Path(__file__).resolve().parents[2]
# The test Redis database of this run (TEST_REDIS_URL, flushed, so never a shared one) and a
# port for the test's own server; both overridable, so that two runs on one machine differ.
BROKER = os.environ.get("REMINDER_TEST_BROKER", REDIS_URL)
OWN_REDIS_PORT = int(os.environ.get("REMINDER_TEST_REDIS_PORT", "6391"))
OWN_BROKER = f"redis://127.0.0.1:{OWN_REDIS_PORT}/0"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.clock,
    pytest.mark.django_db(transaction=True),
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


# The worker: the portal's Celery app with a short visibility timeout, so that a message of a
# killed worker comes back in seconds instead of an hour, and the recording email backend.
WORKER = """
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "tests.tasks.test_reminders_integration.RecordingBackend"
from portal.celery import app
app.conf.broker_transport_options = {
    "visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}
app.conf.broker_connection_retry_on_startup = True
app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip",
                 "--without-mingle", "--without-heartbeat"])
"""

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


@pytest.fixture(autouse=True)
def no_quiet_hours(transactional_db):
    """The policy row without quiet hours, written for each test.

    The worker and beat processes read the policy from the database and the real clock (an
    in-process fake clock does not reach them), and a transactional test starts from empty
    tables: without the row the built-in quiet hours (21:00-08:00) would hold every reminder
    at night.
    """
    ReminderPolicy.objects.update_or_create(
        is_default=True, defaults={"quiet_start_hour": 0, "quiet_end_hour": 0}
    )


@pytest.fixture
def services_up():
    need("PostgreSQL", connection.vendor == "postgresql", "the test database is not PostgreSQL")
    need("Redis", redis_available(BROKER), BROKER)


@pytest.fixture
def mail_log(tmp_path) -> Path:
    return tmp_path / "mail.log"


def sent_mail(log: Path) -> Counter:
    if not log.exists():
        return Counter()
    return Counter(line for line in log.read_text(encoding="utf-8").splitlines() if line)


def _env(broker: str, mail_log: Path, tmp: Path, **extra) -> dict[str, str]:
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
    slow = _env(BROKER, mail_log, tmp_path, REMINDER_TEST_SEND_DELAY="2")
    with publishing_to(BROKER):
        with process(WORKER, slow) as first:
            assert send_due_reminders() == 1
            assert wait_until(lambda: sum(sent_mail(mail_log).values()) == 1, timeout=30)
            time.sleep(0.5)  # the first delivery row is written; the second email is sleeping
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        assert Reminder.objects.get(pk=reminder.pk).sent_at is None
        with process(WORKER, _env(BROKER, mail_log, tmp_path)):
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
    env = _env(BROKER, mail_log, tmp_path, GO_FILE=str(go))
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


def real_clock_env() -> dict[str, str]:
    """This environment without a faked clock (libfaketime): a server is a process of its own
    with the real clock, like PostgreSQL, and redis-server hangs under libfaketime."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FAKETIME") and not (name == "LD_PRELOAD" and "faketime" in value)
    }


@pytest.fixture
def own_redis(tmp_path):
    """A private Redis server (the shared one on 6379 is never restarted)."""
    binary = shutil.which("redis-server")
    need("redis-server", binary is not None, "the redis-server program is not installed")
    need("a free port", not port_open("127.0.0.1", OWN_REDIS_PORT), f"{OWN_REDIS_PORT} is taken")
    servers: list[subprocess.Popen] = []

    def start() -> None:
        servers.append(
            subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(OWN_REDIS_PORT),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(tmp_path),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=real_clock_env(),
            )
        )
        assert wait_until(lambda: redis_available(OWN_BROKER), timeout=10)

    def stop() -> None:
        server = servers[-1]
        server.kill()  # like a crash: nothing is saved, queued messages are gone
        server.wait(timeout=10)
        assert wait_until(lambda: not port_open("127.0.0.1", OWN_REDIS_PORT), timeout=10)

    try:
        start()  # inside the try: a server that never answers is killed too
        yield start, stop
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()
                server.wait(timeout=10)


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
        with process(WORKER, _env(OWN_BROKER, mail_log, tmp_path)):
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

# The same worker as WORKER with a prefork pool of two: a kill hits one pool process (the child
# that is sending), not the parent, which replaces it and carries on.
WORKER_PREFORK = """
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "tests.tasks.test_reminders_integration.RecordingBackend"
from portal.celery import app
app.conf.broker_transport_options = {
    "visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
}
app.conf.broker_connection_retry_on_startup = True
app.worker_main(["worker", "--pool=prefork", "--concurrency=2", "--loglevel=WARNING",
                 "--without-gossip", "--without-mingle", "--without-heartbeat"])
"""

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
    env = _env(
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
    env = _env(
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
        again = _env(BROKER, mail_log, tmp_path, REMINDER_LEASE_SECONDS=str(SHORT_LEASE))
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
    env = _env(BROKER, mail_log, tmp_path, REMINDER_TEST_SEND_DELAY="0.3")
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
    env = _env(OWN_BROKER, mail_log, tmp_path, REMINDER_LEASE_SECONDS=str(SHORT_LEASE))
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


def test_celery_beat_and_a_pool_worker_send_each_reminder_once(
    services_up, personas, mail_log, tmp_path
):
    quiet_hours_off()
    ids = [r.pk for r in due_reminders(personas, 10)]
    env = _env(BROKER, mail_log, tmp_path, BEAT_SCHEDULE_FILE=str(tmp_path / "beat-schedule"))
    with publishing_to(BROKER):
        with process(WORKER_PREFORK, env), process(CELERY_BEAT, env) as beat:
            assert wait_until(lambda: all_sent(ids), timeout=90), beat.poll()
            time.sleep(3)  # three more beats: nothing is sent again
            assert beat.poll() is None  # the beat ran throughout
    assert_each_email_once(mail_log, ids)
