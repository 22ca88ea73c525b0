import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from tests.celery_worker import wait_until
from tests.services import need, port_open, redis_available
from tests.tasks.reminder_workers import (
    BROKER,
    OWN_BROKER,
    OWN_REDIS_PORT,
    quiet_hours_off,
    real_clock_env,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of these tests go to a temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_messages():
    """Service tests compare the English msgids; the pages' Chinese is tested elsewhere."""

    with translation.override("en"):
        yield


# --- the reminder tests with real worker processes (tests/tasks/reminder_workers.py) ------


@pytest.fixture
def no_quiet_hours(transactional_db):
    """The policy row without quiet hours, written for each test.

    The worker and beat processes read the policy from the database and the real clock (an
    in-process fake clock does not reach them), and a transactional test starts from empty
    tables: without the row the built-in quiet hours (21:00-08:00) would hold every reminder
    at night.
    """
    quiet_hours_off()


@pytest.fixture
def services_up():
    need("PostgreSQL", connection.vendor == "postgresql", "the test database is not PostgreSQL")
    need("Redis", redis_available(BROKER), BROKER)


@pytest.fixture
def mail_log(tmp_path) -> Path:
    return tmp_path / "mail.log"


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
