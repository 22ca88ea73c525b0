"""Load: 50 concurrent users mixing secretary and office pages against gunicorn and PostgreSQL.

A small thread-per-user load generator (each user has its own session cookie and a think time
of 1–2 s) drives gunicorn serving the bench database for a fixed time, and reports the 95th
percentile latency and the count of errors (status ≥ 500 or a failed connection).
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USERS = int(os.environ.get("LOAD_USERS", "50"))
DURATION_S = float(os.environ.get("LOAD_SECONDS", "30"))
SECRETARY_SHARE = 0.8


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _sessions(count: int) -> list[tuple[str, list[str]]]:
    """(session cookie, paths) per simulated user: secretaries of the first branches, office."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from branches.models import Organisation, Person, Role, RoleKind
    from tasks.models import Assignment, Notice
    from tests.perf.run import COMMITTEE, OFFICE_USER

    users = []
    User = get_user_model()
    branches = list(Organisation.objects.branches().in_service().order_by("id")[:count])
    notice = Notice.objects.get(committee__name=COMMITTEE)
    for index in range(count):
        if index < int(count * SECRETARY_SHARE):
            branch = branches[index]
            user, created = User.objects.get_or_create(username=f"bench-secretary-{branch.pk}")
            if created:
                person = Person.objects.create(name=f"书记{branch.pk}", branch=branch, user=user)
                Role.objects.create(person=person, organisation=branch, kind=RoleKind.SECRETARY)
            assignment = Assignment.objects.filter(branch=branch).order_by("id").first()
            paths = [
                reverse("tasks:todo_list", args=[branch.pk]),
                reverse("branches:organisation_detail", args=[branch.pk]),
                reverse("tasks:assignment_detail", args=[assignment.pk]),
            ]
        else:
            user = User.objects.get(username=OFFICE_USER)
            paths = [
                reverse("tasks:review_list"),
                reverse("tasks:notice_list"),
                reverse("tasks:notice_detail", args=[notice.pk]),
            ]
        client = Client()
        client.force_login(user)
        users.append((client.cookies["sessionid"].value, paths))
    return users


def _user_loop(base: str, cookie: str, paths: list[str], stop: float, results: list) -> None:
    rng = random.Random(cookie)
    time.sleep(rng.uniform(0, 1.5))  # users do not all start on the same tick
    while time.monotonic() < stop:
        path = rng.choice(paths)
        request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        results.append((time.perf_counter() - started, status, path))
        time.sleep(rng.uniform(1.0, 2.0))


def bench_load() -> None:
    from tests.perf.run import BENCH_URL, line

    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_URL,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    workers = str(2 * (os.cpu_count() or 1) + 1)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--workers",
            workers,
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        users = _sessions(USERS)
        for cookie, paths in users:  # warm every worker's templates and connections
            for path in paths:
                req = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"})
                urllib.request.urlopen(req, timeout=30).read()
        results: list[tuple[float, int, str]] = []
        stop = time.monotonic() + DURATION_S
        threads = [
            threading.Thread(target=_user_loop, args=(base, c, p, stop, results), daemon=True)
            for c, p in users
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DURATION_S + 60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = sorted(seconds * 1000 for seconds, _status, _path in results)
    errors = sum(1 for _seconds, status, _path in results if status == 0 or status >= 500)
    print(f"# load: {len(results)} requests by {USERS} users in {DURATION_S:.0f} s", flush=True)
    _print_pages(results)
    line("load_p95_ms", _p95(latencies), "ms")
    line("load_errors", errors, "count")


def _p95(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 20 else max(latencies)


def _print_pages(results: list[tuple[float, int, str]]) -> None:
    """Median and 95th percentile per page (ids folded), as comments: where the time goes."""
    pages: dict[str, list[float]] = {}
    for seconds, _status, path in results:
        page = "/".join("<id>" if part.isdigit() else part for part in path.split("/"))
        pages.setdefault(page, []).append(seconds * 1000)
    for page, times in sorted(pages.items(), key=lambda kv: -_p95(kv[1])):
        print(
            f"# load: {page} n={len(times)} median={statistics.median(times):.0f} ms "
            f"p95={_p95(sorted(times)):.0f} ms",
            flush=True,
        )
