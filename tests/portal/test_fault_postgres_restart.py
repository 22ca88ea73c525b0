"""PostgreSQL restarts under load: during the restart the portal answers 503 (never 500), and
once it is back gunicorn serves with no 5xx.

Persistent connections (CONN_MAX_AGE) are checked before reuse (CONN_HEALTH_CHECKS), so the
first request after the restart reconnects instead of failing on a dead connection. This test
restarts the real server, the cluster that the test database's URL names (its port), so it runs
only where PORTAL_FAULT_TESTS=1 (CI sets it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.services import need, services_required

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}


def cluster_on_port(port: int) -> tuple[str, str] | None:
    """(version, name) of the local Debian cluster listening on ``port``, from pg_lsclusters."""
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], check=True, capture_output=True, text=True
    ).stdout
    for line in listing.splitlines():
        version, name, cluster_port, *_ = line.split()
        if int(cluster_port) == port:
            return version, name
    return None


def _restart_postgres(version: str, name: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    for _ in range(120):
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            return
        time.sleep(0.25)
    raise AssertionError("PostgreSQL did not come back")


def test_no_server_error_once_postgresql_is_back(personas):
    if os.environ.get("PORTAL_FAULT_TESTS") != "1" and not services_required():
        pytest.skip("restarts the PostgreSQL server: set PORTAL_FAULT_TESTS=1")
    need("PostgreSQL", connection.vendor == "postgresql", "the database is not PostgreSQL")
    need("pg_ctlcluster", shutil.which("pg_ctlcluster") is not None, "not a Debian server")
    params = connection.settings_dict
    need(
        "a local PostgreSQL",
        (params["HOST"] or "") in LOCAL_HOSTS,
        f"the database is on {params['HOST']}, not on this machine",
    )
    cluster = cluster_on_port(int(params["PORT"] or 5432))
    need("the database's cluster", cluster is not None, "no local cluster on the URL's port")

    client = personas.client("secretary_a")
    client.get("/me/")
    cookie = client.cookies["sessionid"].value
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"postgres://{params['USER'] or 'postgres'}@{params['HOST'] or '127.0.0.1'}"
        f":{params['PORT'] or 5432}/{params['NAME']}",
        "DB_CONN_MAX_AGE": "600",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--workers",
            "2",
            "--threads",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    results: list[tuple[float, int]] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            results.append((time.monotonic(), _get(base + "/me/", cookie)))
            time.sleep(0.02)

    try:
        for _ in range(100):
            if _get(base + "/healthz", cookie) == 200:
                break
            time.sleep(0.2)
        threads = [threading.Thread(target=load, daemon=True) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(1.5)  # the workers now hold persistent connections
        restarting = time.monotonic()
        _restart_postgres(*cluster)
        back = time.monotonic()
        time.sleep(3)
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
        connection.close()  # ours died with the restart; the teardown reconnects

    before = [status for at, status in results if at < restarting - 0.5]
    during = [status for at, status in results if restarting - 0.5 <= at < back]
    after = [status for at, status in results if at >= back]
    assert before and all(status == 200 for status in before[:5])
    # While the server is down a request cannot be served, but it is told so: 503 with
    # Retry-After (portal.views.server_error), never a 500 and never a dropped connection.
    refused = Counter(status for status in during if status != 200)
    print(f"during the restart: {len(during)} requests, answered {dict(Counter(during))}")
    assert set(refused) <= {503}, refused
    assert len(after) > 20
    assert all(status == 200 for status in after), sorted(set(after))
