"""Load as users make it: locust (headless) against gunicorn and PostgreSQL at a set arrival
rate, with the users of a regional deployment (tests/perf/locustfile.py): secretaries open the
to-do list, save, upload and submit; the office opens the review list, approves, opens the
1,000-branch dashboard and asks for the workbook; committee members open their liaison view;
regional viewers open the tree.

The writes land in a throwaway copy of the bench database (``CREATE DATABASE … TEMPLATE``),
dropped afterwards, so the bench data stays as built. Prints ``load_rps``, ``load_p95_ms``,
``load_p99_ms`` and ``load_errors`` (5xx, timeouts and unexpected statuses), and the median and
95th percentile of each page as ``#`` lines.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
#: 96 users at 0.5 actions a second, about 1.4 requests an action: some 66 requests a second.
USERS = int(os.environ.get("LOAD_USERS", "96"))
PACE = float(os.environ.get("LOAD_PACE", "0.5"))  # actions per second and user
DURATION_S = int(os.environ.get("LOAD_SECONDS", "60"))
#: Logins of each kind the simulated users share (one branch per secretary).
SECRETARIES = 200  # more than the simulated secretaries: no two edit one row at once
OFFICE_STAFF = 4
MEMBERS = 5
#: gunicorn's workers: one per core and one more. PostgreSQL and locust share the cores, so the
#: usual (2 × cores) + 1 only adds processes competing for them (two cores, 2026-12-02: p95
#: 300 ms with five workers, 120 ms with three, same requests).
WEB_WORKERS = int(os.environ.get("LOAD_WORKERS", (os.cpu_count() or 1) + 1))
#: The Redis database the portal's jobs are published to during the load (nothing consumes
#: them: the workbook requests only queue).
LOAD_BROKER = os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/11")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin(url: str, *statements: str) -> None:
    """Run statements on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg2

    parts = urlparse(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    conn.close()


def copy_database(source_url: str, name: str) -> str:
    """A copy of the database at ``source_url`` named ``name``; returns its URL. The source must
    have no other session: Django's connections are closed first."""
    from django.db import connections

    connections.close_all()
    source = urlparse(source_url).path.lstrip("/")
    _admin(
        source_url,
        f'DROP DATABASE IF EXISTS "{name}"',
        f'CREATE DATABASE "{name}" TEMPLATE "{source}"',
    )
    return urlunparse(urlparse(source_url)._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def plan(database_url: str) -> dict:
    """Who the simulated users are: a session per login in the load's database, and the rows
    each works on. Written from the database the portal then serves (the copy)."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from branches.models import Organisation, OrgKind, Role, RoleKind
    from portal.regional_data import BIG_COMMITTEE_NAME, DASHBOARD_ISSUE
    from tasks.models import Assignment, AssignmentStatus, Notice
    from tasks.workbook import INLINE_MAX_BRANCHES, branch_count

    connections.close_all()
    connections["default"].settings_dict["NAME"] = urlparse(database_url).path.lstrip("/")
    User = get_user_model()
    big = Organisation.objects.get(name=BIG_COMMITTEE_NAME)
    notice = Notice.objects.get(committee=big, issue_number=DASHBOARD_ISSUE)

    def cookie(username: str) -> str:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client.cookies["sessionid"].value

    editable = (AssignmentStatus.PENDING, AssignmentStatus.DRAFT, AssignmentStatus.RETURNED)
    secretaries = []
    roles = (
        Role.objects.filter(kind=RoleKind.SECRETARY, organisation__path__startswith=big.path)
        .select_related("person__user", "organisation")
        .order_by("organisation__path")[:SECRETARIES]
    )
    for role in roles:
        open_ones = list(
            Assignment.objects.filter(
                branch=role.organisation, item__area__notice=notice, status__in=editable
            ).values_list("pk", flat=True)
        )
        half = len(open_ones) // 2
        secretaries.append(
            {
                "cookie": cookie(role.person.user.username),
                "todo": reverse("tasks:todo_list", args=[role.organisation.pk]),
                "assignments": open_ones[:half],  # saved again and again
                "to_submit": open_ones[half:],  # each submitted once
            }
        )
    submitted = list(
        Assignment.objects.filter(
            item__area__notice__committee=big, status=AssignmentStatus.SUBMITTED
        ).values_list("pk", flat=True)
    )
    office_user = Role.objects.get(kind=RoleKind.OFFICE, organisation=big).person.user.username
    office = [
        {
            "cookie": cookie(office_user),
            "to_approve": submitted[n::OFFICE_STAFF],
            "dashboard": reverse("tasks:notice_dashboard", args=[notice.pk]),
            "export": reverse("tasks:export_request", args=[notice.pk]),
            # A small committee's workbook is downloaded at once, a large one queued.
            "export_expect": 302 if branch_count(notice) > INLINE_MAX_BRANCHES else 200,
        }
        for n in range(OFFICE_STAFF)
    ]
    members = [
        {
            "cookie": cookie(role.person.user.username),
            "liaison": reverse("tasks:liaison_dashboard", args=[notice.pk]),
        }
        for role in Role.objects.filter(kind=RoleKind.COMMITTEE_MEMBER, organisation=big)
        .select_related("person__user")
        .order_by("pk")[:MEMBERS]
    ]
    committees = Organisation.objects.filter(kind=OrgKind.COMMITTEE).order_by("path")
    viewer = Role.objects.filter(kind=RoleKind.REGIONAL_VIEWER).select_related("person__user")
    viewers = [
        {
            "cookie": cookie(role.person.user.username),
            "subtrees": [reverse("branches:region_subtree", args=[c.pk]) for c in committees],
        }
        for role in viewer
    ]
    urls = {
        "assignment": reverse("tasks:assignment_detail", args=[123456789]).replace(
            "123456789", "{pk}"
        ),
        "review": reverse("tasks:assignment_review", args=[123456789]).replace("123456789", "{pk}"),
        "review_list": reverse("tasks:review_list"),
        "liaison_branches": reverse("branches:liaison_branches"),
        "region_tree": reverse("branches:region_tree"),
    }
    connections.close_all()
    return {
        "secretary": secretaries,
        "office": office,
        "member": members,
        "viewer": viewers,
        "urls": urls,
    }


def start_gunicorn(
    database_url: str,
    port: int,
    media: str,
    *,
    workers: int | None = None,
    broker: str = LOAD_BROKER,
    extra_env: dict[str, str] | None = None,
):
    """gunicorn serving the portal from ``database_url`` on ``port``, uploads in ``media``;
    returns (process, base URL) once it answers."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "MEDIA_ROOT": media,
        "CELERY_BROKER_URL": broker,
        **(extra_env or {}),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    workers = workers or WEB_WORKERS
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped with its workers
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    return server, base


def locust_command(base: str, plan_path: str, csv_prefix: str, *, users: int, seconds: int):
    """(argv, env) of a headless locust run of tests/perf/locustfile.py."""
    env = {**os.environ, "LOAD_PLAN": plan_path, "LOAD_PACE": str(PACE)}
    argv = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "tests" / "perf" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(users // 2, 1)),
        "--run-time",
        f"{seconds}s",
        "--host",
        base,
        "--csv",
        csv_prefix,
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    return argv, env


def run_locust(base: str, plan_path: str, csv_prefix: str, *, users: int, seconds: int) -> None:
    argv, env = locust_command(base, plan_path, csv_prefix, users=users, seconds=seconds)
    subprocess.run(
        argv,
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=seconds + 120,
    )


def read_stats(csv_prefix: str) -> tuple[dict, list[dict]]:
    """locust's aggregated row and its per-page rows."""
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return total, [row for row in rows if row["Name"] != "Aggregated"]


def bench_load() -> None:
    from tests.perf.run import BENCH_URL, line

    scratch = tempfile.mkdtemp(prefix="portal-load-")
    url = copy_database(BENCH_URL, urlparse(BENCH_URL).path.lstrip("/") + "_load")
    server = None
    try:
        plan_path = os.path.join(scratch, "plan.json")
        with open(plan_path, "w", encoding="utf-8") as handle:
            json.dump(plan(url), handle)
        server, base = start_gunicorn(url, _free_port(), os.path.join(scratch, "media"))
        # Warm every worker (templates, translations, connections) before the clock starts.
        run_locust(base, plan_path, os.path.join(scratch, "warm"), users=20, seconds=5)
        prefix = os.path.join(scratch, "load")
        run_locust(base, plan_path, prefix, users=USERS, seconds=DURATION_S)
        total, pages = read_stats(prefix)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        drop_database(url)
        from tests.perf.run import restore_connection

        restore_connection()
        shutil.rmtree(scratch, ignore_errors=True)
    requests = int(total["Request Count"])
    print(
        f"# load: {requests} requests in {DURATION_S} s by {USERS} users at "
        f"{PACE} actions/s each (a Poisson stream), gunicorn with {WEB_WORKERS} workers",
        flush=True,
    )
    for page in sorted(pages, key=lambda row: -float(row["95%"] or 0)):
        print(
            f"# load: {page['Type']} {page['Name']} n={page['Request Count']} "
            f"median={page['50%']} ms p95={page['95%']} ms failures={page['Failure Count']}",
            flush=True,
        )
    line("load_rps", requests / DURATION_S, "req/s")
    line("load_p95_ms", float(total["95%"]), "ms")
    line("load_p99_ms", float(total["99%"]), "ms")
    line("load_errors", int(total["Failure Count"]), "count")
