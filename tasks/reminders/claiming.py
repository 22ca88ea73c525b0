"""The due pass: claiming the reminder rows that are due, and the sweep of lost claims.

The beat pass first re-queues rows claimed a while ago but never sent and not leased (a lost
message or a dead worker), plans the day's digests, then claims the due rows with conditional
UPDATEs, so two beats never claim the same row; sending (``tasks.reminders.sending``) takes a
lease on the row, so two messages for it never send at once, and records a delivery row per
recipient and channel around each send, so a retry never repeats what already went out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from tasks.models import Reminder, ReminderKind, ReminderStatus
from tasks.models.reminders import OPEN
from tasks.reminders.digests import plan_digests
from tasks.reminders.lease import lease_free, lease_length
from tasks.reminders.policy import current_policy, in_quiet_hours
from tasks.reminders.sending import deliver_in_batches

logger = logging.getLogger("tasks.reminders")

#: Rows claimed per pass at most; the next minute's pass takes the rest. One pass claims a
#: whole day's reminders of a national-scale committee (see tests/perf/reminders_bench.py).
CLAIM_BATCH = 100_000


def stale_claim() -> timedelta:
    """A row claimed this long ago, not sent and with no live lease, lost its message (a
    broker restart) or its worker: ``REMINDER_LEASE_SECONDS``, the lease a worker renews
    before each recipient (see portal/settings.py and the README for the relation)."""
    return lease_length()


def claim_one(pk: int, now: datetime) -> bool:
    """Claim one row. The conditional UPDATE is the lock: of two claimers only one sees 1."""
    return (
        Reminder.objects.filter(pk=pk, claimed_at=None, status=ReminderStatus.PLANNED).update(
            claimed_at=now, status=ReminderStatus.QUEUED
        )
        == 1
    )


#: One statement claims the due rows and cancels the superseded ones. ``newest`` ranks the due
#: rows of one owner: reminders of one assignment supersede each other, a digest only its own
#: kind's to the same person; each branch-life or change row is about something else (its key), so
#: none supersedes another. The WHERE clause of the UPDATE repeats ``claimed_at IS NULL``:
#: PostgreSQL re-checks it on a row a concurrent claimer just committed (SQLite has one writer
#: at a time), so exactly one claimer gets a given row back. The claim touches no indexed
#: column (see ``Reminder.Meta.indexes``), so PostgreSQL rewrites each row in place.
_CLAIM_SQL = """
WITH due AS (
    SELECT id, due_at, assignment_id, person_id, kind FROM {table}
    WHERE phase = %(open)s AND status = %(planned)s AND claimed_at IS NULL AND due_at <= %(now)s
    ORDER BY due_at, id
    LIMIT %(limit)s
), ranked AS (
    SELECT id, ROW_NUMBER() OVER (
        PARTITION BY assignment_id,
            CASE WHEN assignment_id IS NULL THEN person_id END,
            CASE WHEN assignment_id IS NULL THEN kind END,
            CASE WHEN assignment_id IS NULL AND kind IN (%(branch_life)s, %(change)s) THEN id END
        ORDER BY due_at DESC, id DESC
    ) AS newest
    FROM due
)
UPDATE {table} SET
    status = CASE WHEN ranked.newest = 1 THEN %(queued)s ELSE %(cancelled)s END,
    claimed_at = CASE WHEN ranked.newest = 1 THEN %(now)s END,
    last_error = CASE WHEN ranked.newest = 1 THEN {table}.last_error ELSE %(superseded)s END
FROM ranked
WHERE {table}.id = ranked.id AND {table}.status = %(planned)s AND {table}.claimed_at IS NULL
RETURNING {table}.id, {table}.status
"""


def claim_due_reminders(now: datetime | None = None, *, limit: int = CLAIM_BATCH) -> list[int]:
    """Claim the planned rows that are due; returns the ids this caller (alone) now owns.

    After an outage or a clock jump several rows of one assignment can be due at once: only
    the latest goes out, the older ones are superseded (cancelled) rather than sent in a
    burst. Nothing is claimed in quiet hours: a row left over from the evening waits for the
    morning. One statement does it all, so a pass costs one round trip however many are due.
    """
    now = now or timezone.now()
    if in_quiet_hours(now, current_policy()):
        return []
    table = connection.ops.quote_name(Reminder._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A day's reminders sort and hash in memory rather than in temporary files.
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            _CLAIM_SQL.format(table=table),
            {
                "now": connection.ops.adapt_datetimefield_value(now),
                "limit": limit,
                "open": OPEN,
                "planned": ReminderStatus.PLANNED,
                "queued": ReminderStatus.QUEUED,
                "cancelled": ReminderStatus.CANCELLED,
                "branch_life": ReminderKind.BRANCH_LIFE,
                "change": ReminderKind.CHANGE,
                "superseded": "superseded by a later reminder",
            },
        )
        return sorted(pk for pk, status in cursor.fetchall() if status == ReminderStatus.QUEUED)


def requeue_stale_claims(now: datetime | None = None) -> int:
    """Put rows claimed a while ago, neither sent nor failed nor leased, back for the claim step.

    Their message was lost (broker restart, a publish that failed) or their worker died (its
    lease ran out) and the broker has not redelivered yet. Sending again is safe: the lease
    keeps a late original message from sending at the same time, and the delivery rows skip
    every recipient already served.
    """
    now = now or timezone.now()
    cutoff = now - stale_claim()
    # A row is claimed only once due, so due_at <= claimed_at: the bound on due_at lets the
    # due index find them.
    count = (
        Reminder.objects.open()
        .filter(
            status=ReminderStatus.QUEUED, sent_at=None, due_at__lt=cutoff, claimed_at__lt=cutoff
        )
        .filter(lease_free(now))
        .update(
            status=ReminderStatus.PLANNED,
            claimed_at=None,
            leased_until=None,
            lease_token=None,
            last_error="re-queued: never sent",
        )
    )
    if count:
        logger.warning("re-queued %s reminders claimed but never sent", count)
    return count


def release_unpublished(ids: Iterable[int]) -> int:
    """Give back claimed rows whose message could not be queued (broker down) to the next
    pass; only this pass had claimed them, so nobody is sending them."""
    return Reminder.objects.filter(
        pk__in=list(ids), status=ReminderStatus.QUEUED, sent_at=None
    ).update(status=ReminderStatus.PLANNED, claimed_at=None)


def beat_pass(now: datetime | None = None) -> list[int]:
    """What the beat runs every minute: sweep, plan today's digests, claim what is due."""
    now = now or timezone.now()
    requeue_stale_claims(now)
    plan_digests(now)
    return claim_due_reminders(now)


def run_pass(now: datetime | None = None) -> dict[str, int]:
    """One synchronous pass (for cron): claim, then send each claimed row in this process."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for outcome in deliver_in_batches(beat_pass(now), now=now).values():
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
