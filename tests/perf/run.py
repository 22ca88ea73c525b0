"""``make bench``: synthetic data on PostgreSQL, then one ``bench: <name> <value> <unit>`` line
per figure.

The data is a region as ``manage.py build_regional_data`` makes it (15 committees, 3,000
branches, one committee of 1,000, 150,000 people, a year of notices). It lives in its own
database, BENCH_DATABASE_URL (default ``postgres://postgres@127.0.0.1:5432/portal_bench_data``),
is kept between runs and rebuilt when its version changes: a hash of the migration files and of
the data-building modules is stored in the table ``bench_meta``. A figure that writes (the load's
POSTs, the reminders) puts back what it changed or writes only rows nothing else reads.

Each figure is one function in ``BENCHES`` that prints its lines; adding a figure is adding one
function to that list.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from portal.regional_data import DASHBOARD_ISSUE

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_data"
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
#: Raise to rebuild the data when its meaning changes without a file below changing.
DATA_VERSION = "regional-1"
DATA_MODULES = [
    "portal/regional_data.py",
    "branches/regional_data.py",
    "tasks/regional_data.py",
    "ratings/regional_data.py",
    "surveys/regional_data.py",
]
COMMITTEE = "基准研究所党委"  # portal.regional_data.BIG_COMMITTEE_NAME
OFFICE_USER = "office-0"  # the big committee's office
REGIONAL_USER = "region-viewer"

# The portal reads its database from DATABASE_URL once, at start: point it at the bench base.
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
sys.path.insert(0, str(ROOT))


def line(name: str, value: float | int, unit: str) -> None:
    text = f"{value:.2f}" if isinstance(value, float) else str(value)
    print(f"bench: {name} {text} {unit}", flush=True)


# --- the database ---------------------------------------------------------------------------------
def ensure_database() -> None:
    """Create the bench database on the server when it is missing."""
    import psycopg2
    from psycopg2 import sql

    url = urlparse(BENCH_URL)
    name = url.path.lstrip("/")
    conn = psycopg2.connect(
        dbname="postgres",
        user=url.username or "postgres",
        password=url.password,
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def migrations_hash() -> str:
    """The data's version: every migration the installed apps have (third-party ones too), the
    text of ours and of the modules that build the data."""
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(DATA_VERSION.encode())
    for module in DATA_MODULES:
        digest.update((ROOT / module).read_bytes())
    for app, name in sorted(MigrationLoader(None, ignore_no_migrations=True).disk_migrations):
        digest.update(f"{app}.{name};".encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        if ".venv" in path.parts:
            continue
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def restore_connection() -> None:
    """Point Django's connection back at the bench database (after a figure used a copy)."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = urlparse(BENCH_URL).path.lstrip("/")


def stored_hash() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT value FROM bench_meta WHERE key = 'migrations'")
        row = cursor.fetchone()
    return row[0] if row else None


def rebuild(current: str) -> None:
    """Drop everything, migrate, fill with synthetic data and store the migrations' hash."""
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    build_data()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (key text PRIMARY KEY, value text)")
        cursor.execute("INSERT INTO bench_meta VALUES ('migrations', %s)", [current])
        # Vacuumed as well as analysed: autovacuum (off on the CI server) has long since marked
        # a running database's settled rows all-visible, which lets a count be read from an
        # index alone. Without it the figures depended on whether the reminders figure (it
        # vacuums the assignments when it cleans up) had run before them.
        cursor.execute("VACUUM ANALYZE")
    print(f"# bench data built in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def build_data() -> None:
    from django.core.management import call_command

    call_command("build_regional_data", stdout=sys.stderr)


def setup() -> None:
    ensure_database()
    import django

    django.setup()
    current = migrations_hash()
    if stored_hash() != current:
        print("# building the bench database (schema changed or new)", file=sys.stderr)
        rebuild(current)


# --- the figures ----------------------------------------------------------------------------------
#: Each page is asked for this many times after a warm-up request; the median is reported.
PAGE_REPEAT = 9
CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def _time_page(username: str, url: str, *, headers: dict | None = None):
    """(median ms, statements, bytes, response) of ``url`` asked for as ``username``."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", **(headers or {}))
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)  # warm templates, translations and the connection
    assert response.status_code == 200, (url, response.status_code)
    times, cpu = [], []
    for _i in range(PAGE_REPEAT):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    # Statements only: BEGIN/COMMIT around the session save are transaction control.
    queries = [q for q in ctx.captured_queries if not q["sql"].startswith(CONTROL)]
    # The Python side's CPU time: steadier than the wall clock on a machine shared with others
    # (it leaves out PostgreSQL's time and the waits for a core).
    print(f"# {url}: median Python CPU {statistics.median(cpu):.0f} ms", flush=True)
    return statistics.median(times), len(queries), len(response.content), response


def bench_dashboard() -> None:
    """Server time of the office dashboard of the 1,000-branch notice in the 3,000-branch
    database, and its query count."""
    from django.urls import reverse

    from tasks.models import Notice

    notice = Notice.objects.get(committee__name=COMMITTEE, issue_number=DASHBOARD_ISSUE)
    url = reverse("tasks:notice_dashboard", args=[notice.pk])
    ms, queries, _size, response = _time_page(OFFICE_USER, url)
    assert 'id="dashboard-summary"' in response.content.decode()
    line("dashboard_ms", ms, "ms")
    line("dashboard_queries", queries, "queries")


def bench_review_list() -> None:
    """The big committee's office opening its review queue (thousands handed in)."""
    from django.urls import reverse

    ms, queries, _size, _response = _time_page(OFFICE_USER, reverse("tasks:review_list"))
    line("review_list_ms", ms, "ms")
    print(f"# review_list: {queries} queries", flush=True)


def bench_region_tree() -> None:
    """The regional viewer's tree over 15 committees, its size, and opening the 1,000-branch
    committee's subtree (what htmx loads on a click)."""
    from django.urls import reverse

    from branches.models import Organisation

    ms, queries, size, _response = _time_page(REGIONAL_USER, reverse("branches:region_tree"))
    line("region_tree_ms", ms, "ms")
    line("region_tree_kib", size / 1024, "KiB")
    print(f"# region_tree: {queries} queries", flush=True)
    committee = Organisation.objects.get(name=COMMITTEE)
    url = reverse("branches:region_subtree", args=[committee.pk])
    ms, queries, size, _r = _time_page(REGIONAL_USER, url, headers={"HTTP_HX_REQUEST": "true"})
    print(
        f"# region_subtree of 1,000 branches: {ms:.0f} ms, {queries} queries, "
        f"{size / 1024:.0f} KiB",
        flush=True,
    )


def bench_export() -> None:
    """The 100,000-row × 15-column export beside bare XlsxWriter constant_memory writing the
    same cells (``export_ratio``) and beside openpyxl's write-only API
    (``export_vs_openpyxl_ratio``), in a fresh process so that its peak memory is the export's
    own (not the dashboard's data); the best of three alternating runs of each, since single
    runs here vary by ±10 %. Synthetic rows: it needs no database."""
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "tests.perf.xlsx_export_bench", "100000", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for text in result.stdout.splitlines():
        if text.startswith("bench: "):
            print(text, flush=True)


def bench_workbook() -> None:
    """The real workbook of the 1,000-branch committee's notice, in a fresh process."""
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "tests.perf.workbook_bench"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": BENCH_URL},
        capture_output=True,
        text=True,
        check=True,
    )
    for text in result.stdout.splitlines():
        if text.startswith(("bench: ", "# ")):
            print(text, flush=True)


def bench_delivery() -> None:
    """10,000 due reminders claimed, published and delivered by one worker to a local SMTP
    server, in a fresh process on a throwaway copy of the bench database."""
    import subprocess

    from tests.perf.load import copy_database, drop_database

    url = copy_database(BENCH_URL, urlparse(BENCH_URL).path.lstrip("/") + "_delivery")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tests.perf.delivery_bench"],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": url,
                "CELERY_BROKER_URL": os.environ.get(
                    "BENCH_DELIVERY_BROKER_URL", "redis://127.0.0.1:6379/12"
                ),
            },
            capture_output=True,
            text=True,
            timeout=1500,
        )
    finally:
        drop_database(url)
        restore_connection()
    for text in result.stdout.splitlines():
        if text.startswith(("bench: ", "# ")):
            print(text, flush=True)
    if result.returncode:
        print(f"# reminder delivery failed:\n{result.stderr[-3000:]}", flush=True)


#: One function per figure, run in this order (the export last: it measures peak memory).
def bench_load() -> None:
    from tests.perf.load import bench_load as run_load

    run_load()


def bench_reminders() -> None:
    """One reminder pass (sweep, digests, claiming) over 100,000 open assignments."""
    from tests.perf.reminders_bench import bench_reminder_pass

    bench_reminder_pass(COMMITTEE, line)


BENCHES = [
    bench_dashboard,
    bench_review_list,
    bench_region_tree,
    bench_load,
    bench_reminders,
    bench_delivery,
    bench_workbook,
    bench_export,
]


#: Figures that make their own data: running only these needs no bench database.
WITHOUT_DATABASE = {bench_export}


def main(argv: list[str]) -> None:
    """``python -m tests.perf.run [name …]`` runs the named figures only (e.g. ``dashboard``,
    ``export``)."""
    chosen = set(argv[1:])
    selected = [b for b in BENCHES if not chosen or b.__name__.removeprefix("bench_") in chosen]
    if any(bench not in WITHOUT_DATABASE for bench in selected):
        setup()
    for bench in selected:
        bench()


if __name__ == "__main__":
    main(sys.argv)
