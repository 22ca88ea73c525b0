"""The web never waits for the broker: with Redis stopped or hung, gunicorn answers at once.

The test runs its own Redis server on a free port (never the shared one) and a real gunicorn
on the test database. With Redis first stopped, then hung (SIGSTOP: connections are accepted
but never answered), a secretary submits, the office approves, urges and asks for the workbook
of a large committee: every answer comes in under a second and none is a server error. Once
Redis is back, a worker and the outbox publisher do all of that work.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.db import connection
from django.urls import reverse

from branches.models import Organisation, OrgKind, RoleKind
from portal.jobs import publish_outbox
from portal.models import OutboxMessage
from tasks.models import (
    Assignment,
    AssignmentStatus,
    Export,
    ExportStatus,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
)
from tasks.publishing import publish_notice
from tasks.workbook import INLINE_MAX_BRANCHES
from tests.builders.branches import make_person
from tests.builders.tasks import assignment_of, make_item, make_notice
from tests.celery_worker import redis_worker, wait_until
from tests.services import need

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

#: What a page may take with the broker down or hung (the old code took 6 s, or 30 s and a 500).
FAST = 1.0
URGED_EMAIL = "secretary_c@example.cn"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A Redis server of this test alone, on its own port, without persistence."""

    def __init__(self, folder: Path):
        self.port = _free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        assert wait_until(lambda: self._answers(), timeout=10), "redis-server did not start"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a stopped process cannot exit
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the answer to the POST itself is what is timed


class Browser:
    """One logged-in user talking to the gunicorn server: cookies, the CSRF token, timing."""

    opener = urllib.request.build_opener(_NoRedirect)

    def __init__(self, base: str, session: str):
        self.base = base
        self.csrf = secrets.token_hex(16)  # 32 characters: a well-formed CSRF cookie
        self.cookie = f"sessionid={session}; csrftoken={self.csrf}"

    def request(self, path: str, data: dict | None = None) -> tuple[int, float]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"Cookie": self.cookie, "X-CSRFToken": self.csrf},
        )
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=40) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, time.monotonic() - started


def _session_of(client) -> str:
    client.get("/me/")
    return client.cookies["sessionid"].value


@pytest.fixture
def committee(personas):
    """The test committee made large (more branches than a page builds inline), a notice per
    outage, reminders allowed at any hour (the server's clock is not the test's)."""
    general = Organisation.objects.get(pk=personas.tree["general"].pk)
    for n in range(INLINE_MAX_BRANCHES):
        general = Organisation.objects.get(pk=general.pk)  # treebeard keeps counts on the row
        Organisation.objects.add_child(
            general, create_kwargs={"name": f"第{n}党支部", "kind": OrgKind.BRANCH}
        )
    ReminderPolicy.objects.update_or_create(
        is_default=True, defaults={"quiet_start_hour": 0, "quiet_end_hour": 0}
    )
    for name in ("secretary_a", "secretary_b"):
        person = personas.people[name]
        person.email = f"{name}@example.cn"
        person.save(update_fields=["email"])
    urged = Organisation.objects.get(name="第0党支部")
    make_person("丙书记", urged, roles=[(RoleKind.SECRETARY, urged)], email=URGED_EMAIL)
    items = []
    for title in ("停机时的工作提示", "挂起时的工作提示"):
        notice = make_notice(personas.tree["committee"], title=title)
        items.append(make_item(notice))
        publish_notice(notice.pk, None)
    return items


@pytest.fixture
def redis_server(tmp_path):
    need("redis-server", shutil.which("redis-server") is not None, "not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def gunicorn(redis_server):
    need("PostgreSQL", connection.vendor == "postgresql", "gunicorn needs a shared database")
    params = connection.settings_dict
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}"
        f":{params['PORT'] or 5432}/{params['NAME']}",
        "CELERY_BROKER_URL": redis_server.url,
        "DB_CONN_MAX_AGE": "600",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", "1", "--threads", "4"]
        + ["--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    try:
        assert wait_until(healthy, timeout=30), "gunicorn did not start"
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _steps(personas, item, secretary: Browser, office: Browser) -> list[tuple[str, int, float]]:
    """Submit, approve, urge and ask for the workbook; each answer's status and time."""
    submitted = assignment_of(item, personas.tree["branch_a"])
    approved = assignment_of(item, personas.tree["branch_b"])
    Assignment.objects.filter(pk=approved.pk).update(status=AssignmentStatus.SUBMITTED)
    urged = Assignment.objects.get(item=item, branch__name="第0党支部")
    answers = []
    for name, who, path, data in [
        (
            "submit",
            secretary,
            reverse("tasks:assignment_detail", args=[submitted.pk]),
            {"action": "submit", "version": submitted.version, "report_text": "学习交流已开展"},
        ),
        (
            "approve",
            office,
            reverse("tasks:assignment_review", args=[approved.pk]),
            {"action": "approve", "comment": ""},
        ),
        ("urge", office, reverse("tasks:assignment_urge", args=[urged.pk]), {}),
        (
            "workbook",
            office,
            reverse("tasks:export_request", args=[item.area.notice_id]),
            {},
        ),
    ]:
        status, seconds = who.request(path, data)
        answers.append((name, status, seconds))
    return answers


def test_the_web_never_waits_for_the_broker(personas, committee, redis_server, gunicorn):
    secretary = Browser(gunicorn, _session_of(personas.client("secretary_a")))
    office = Browser(gunicorn, _session_of(personas.client("office")))
    # The pages once with the broker up, as a running server would have served them before.
    page = reverse(
        "tasks:assignment_detail", args=[assignment_of(committee[0], personas.tree["branch_a"]).pk]
    )
    for browser, path in [(secretary, page), (office, reverse("tasks:review_list"))]:
        assert browser.request(path)[0] == 200

    redis_server.stop()
    down = _steps(personas, committee[0], secretary, office)
    redis_server.start()
    redis_server.hang()
    hung = _steps(personas, committee[1], secretary, office)
    redis_server.resume()

    for name, status, seconds in down + hung:
        assert status < 500 and seconds < FAST, (name, status, seconds, down, hung)
    assert [status for _, status, _ in down + hung] == [302] * 8, (down, hung)
    # Every step was committed and its work waits in the outbox.
    for item in committee:
        assert assignment_of(item, personas.tree["branch_a"]).status == AssignmentStatus.SUBMITTED
        assert assignment_of(item, personas.tree["branch_b"]).status == AssignmentStatus.APPROVED
    queued = OutboxMessage.objects.filter(published_at=None)
    assert sorted(queued.values_list("task", flat=True)) == sorted(
        ["tasks.send_reminder"] * 2 + ["tasks.build_workbook"] * 2
    )
    # The approvals' change messages are rows in the database, waiting for the beat pass.
    for item in committee:
        approved = assignment_of(item, personas.tree["branch_b"])
        assert Reminder.objects.filter(
            kind=ReminderKind.CHANGE, slot__startswith=f"approved:{approved.pk}:"
        ).exists()
    assert Export.objects.running().count() == 2

    # Redis is back: the worker side publishes the outbox and the work gets done.
    ran: list[tuple[str, tuple]] = []

    def record(sender=None, args=None, **kwargs):
        ran.append((sender.name, tuple(args or ())))

    task_postrun.connect(record, weak=False)
    try:
        with redis_worker(redis_server.url):
            publish_outbox.delay()
            assert wait_until(
                lambda: (
                    not OutboxMessage.objects.filter(published_at=None).exists()
                    and Export.objects.filter(status=ExportStatus.DONE).count() == 2
                    and Reminder.objects.filter(
                        kind=ReminderKind.URGE, status=ReminderStatus.SENT
                    ).count()
                    == 2
                ),
                timeout=30,
            ), (ran, list(Export.objects.values_list("status", "error")))
    finally:
        task_postrun.disconnect(record)
    # Each urge reached the urged branch's secretary, once.
    assert [m.to for m in mail.outbox if URGED_EMAIL in m.to] == [[URGED_EMAIL]] * 2
