"""Reminders end to end: 10,000 due reminders claimed, handed to the broker and delivered by
one Celery worker to an SMTP server on this machine (aiosmtpd, started here).

Run by ``make bench`` in a fresh process (``python -m tests.perf.delivery_bench``) with
DATABASE_URL pointing at a throwaway copy of the bench database and CELERY_BROKER_URL at a
Redis database of its own. The clock runs from the beat's pass (claim and publish) until the
SMTP server has received one email for every reminder; then the bench waits a few seconds more
for any second copy. Each email's Message-ID names its reminder, so a duplicate is a Message-ID
received twice. Prints ``reminder_delivery_10k_s`` and ``reminder_duplicates``.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from branches.models import Person  # noqa: E402
from portal.celery import app  # noqa: E402
from portal.regional_data import BIG_COMMITTEE_NAME, DASHBOARD_ISSUE  # noqa: E402
from tasks.jobs import publish_claimed  # noqa: E402
from tasks.models import (  # noqa: E402
    OPEN_STATUSES,
    Assignment,
    Reminder,
    ReminderKind,
    ReminderPolicy,
)
from tasks.reminders.claiming import beat_pass  # noqa: E402

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command

ROOT = Path(__file__).resolve().parents[2]
COUNT = int(os.environ.get("DELIVERY_COUNT", "10000"))
SETTLE_S = 3.0  # after the last email: time for a second copy to show up
TIMEOUT_S = 1200  # a loaded machine delivers 10,000 in about a quarter of an hour


class Inbox:
    """The SMTP server's handler: counts each Message-ID it receives."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message_id = message_from_bytes(envelope.content).get("Message-ID", "")
        with self.lock:
            self.seen[message_id] += 1
        return "250 OK"

    def reminders(self) -> Counter[str]:
        with self.lock:
            return Counter({k: v for k, v in self.seen.items() if k.startswith("<reminder-")})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _due_reminders() -> list[int]:
    """``COUNT`` open assignments of the running notice of the big committee, each with a
    reminder due now, and an address for every secretary."""
    now = timezone.now()
    rows = list(
        Assignment.objects.filter(
            item__area__notice__committee__name=BIG_COMMITTEE_NAME,
            item__area__notice__issue_number=DASHBOARD_ISSUE,
            status__in=OPEN_STATUSES,
        )
        .order_by("pk")
        .values_list("pk", "item__deadline")[:COUNT]
    )
    assert len(rows) == COUNT, f"only {len(rows)} open assignments"
    Person.objects.exclude(user=None).update(email="secretary@bench.example.cn")
    Reminder.objects.bulk_create(
        [
            Reminder(
                assignment_id=pk,
                kind=ReminderKind.BEFORE,
                slot=f"{deadline.isoformat()}:bench",
                deadline=deadline,
                offset=1,
                due_at=now - timedelta(minutes=1),
            )
            for pk, deadline in rows
        ],
        batch_size=5000,
    )
    return [pk for pk, _deadline in rows]


def _start_worker(smtp_port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "bench-delivery@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        if app.control.ping(timeout=0.5):
            return worker
        if worker.poll() is not None:
            raise RuntimeError("the worker did not start")
    raise RuntimeError("the worker does not answer")


def main() -> None:
    ReminderPolicy.objects.update(quiet_start_hour=0, quiet_end_hour=0)
    with app.connection_for_write() as conn:
        conn.default_channel.client.flushdb()  # the bench's own Redis database
    with transaction.atomic():
        _due_reminders()
    inbox = Inbox()
    # A fixed server name: by default aiosmtpd asks the resolver for this host's name on
    # every connection, which here (no DNS) costs a quarter of a second each.
    controller = Controller(
        inbox, hostname="127.0.0.1", port=_free_port(), server_hostname="bench.localhost"
    )
    controller.start()
    worker = _start_worker(controller.port)
    try:
        started = time.perf_counter()
        with transaction.atomic():
            claimed = beat_pass()
        published = publish_claimed(claimed)
        handed = time.perf_counter() - started
        deadline = time.monotonic() + TIMEOUT_S
        while len(inbox.reminders()) < COUNT and time.monotonic() < deadline:
            if worker.poll() is not None:
                print(f"# reminder delivery: the worker exited ({worker.returncode})", flush=True)
                break
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        time.sleep(SETTLE_S)
        received = inbox.reminders()
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        controller.stop()
    duplicates = sum(count - 1 for count in received.values())
    print(
        f"# reminder delivery: {len(claimed)} claimed, {published} published in {handed:.1f} s, "
        f"{len(received)} distinct reminder emails received ({sum(received.values())} in all)",
        flush=True,
    )
    if len(received) < COUNT:
        print(f"# reminder delivery: NOT all delivered within {TIMEOUT_S} s", flush=True)
    print(f"bench: reminder_delivery_10k_s {elapsed:.2f} s", flush=True)
    print(f"bench: reminder_duplicates {duplicates} count", flush=True)


if __name__ == "__main__":
    main()
