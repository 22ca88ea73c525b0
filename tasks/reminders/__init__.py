"""Deadline reminders: planning rows, claiming the due ones, sending them.

Planning keeps an assignment's unsent rows in step with its effective deadline and state; it
is called from every step that changes either (publish, extension, deadline change, submit,
approve, return, withdraw) and is idempotent. The beat pass first re-queues rows claimed a
while ago but never sent and not leased (a lost message or a dead worker), plans the day's
digests, then claims the due rows with conditional UPDATEs, so two beats never claim the same
row; sending (``tasks.reminders.sending``) takes a lease on the row, so two messages for it
never send at once, and records a delivery row per recipient and channel around each send, so
a retry never repeats what already went out.

Other apps remind people through the same rows: ``plan_person_reminder`` plans one message to
one person under a key of the caller's choosing (branch life: relation flags, development
steps due), claimed, sent and retried by the same pass as the deadline reminders.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from tasks.models import (
    Assignment,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
)
from tasks.models.reminders import OPEN
from tasks.reminders.lease import lease_free, lease_length
from tasks.reminders.policy import (
    at_send_hour,
    current_policy,
    hold_until_allowed,
    in_quiet_hours,
    wants_reminders,
)
from tasks.reminders.sending import (
    MAX_ATTEMPTS,
    RECIPIENT_ROLES,
    assignment_url,
    deliver_reminder,
    mark_failed,
    recipients_of,
    release_for_retry,
    reminder_context,
)

logger = logging.getLogger(__name__)

#: Rows claimed per pass at most; the next minute's pass takes the rest. One pass claims a
#: whole day's reminders of a national-scale committee (see tests/perf/reminders_bench.py).
CLAIM_BATCH = 100_000


def stale_claim() -> timedelta:
    """A row claimed this long ago, not sent and with no live lease, lost its message (a
    broker restart) or its worker: ``REMINDER_LEASE_SECONDS``, the lease a worker renews
    before each recipient (see portal/settings.py and the README for the relation)."""
    return lease_length()


__all__ = [
    "CLAIM_BATCH",
    "MAX_ATTEMPTS",
    "RECIPIENT_ROLES",
    "Slot",
    "assignment_url",
    "beat_pass",
    "claim_due_reminders",
    "claim_one",
    "current_policy",
    "deliver_reminder",
    "hold_until_allowed",
    "in_quiet_hours",
    "mark_failed",
    "plan_for_assignments",
    "plan_person_reminder",
    "plan_reminders",
    "plan_reminders_for_items",
    "recipients_of",
    "release_for_retry",
    "release_unpublished",
    "reminder_context",
    "reminders_of",
    "requeue_stale_claims",
    "run_pass",
    "slots_for",
    "stale_claim",
]


# --- planning --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    kind: str
    slot: str
    deadline: date
    offset: int  # days before the deadline day; negative once overdue
    due_at: datetime


def slots_for(deadline: date, policy: ReminderPolicy) -> list[Slot]:
    """Every reminder the policy wants for a deadline day, past ones included."""
    slots = [
        Slot(
            ReminderKind.BEFORE,
            f"{deadline.isoformat()}:{days}",
            deadline,
            days,
            at_send_hour(deadline - timedelta(days=days), policy),
        )
        for days in sorted({int(d) for d in policy.days_before if int(d) >= 0}, reverse=True)
    ]
    interval = max(1, policy.overdue_interval_days)
    for number in range(1, policy.overdue_max_count + 1):
        days_after = number * interval
        slots.append(
            Slot(
                ReminderKind.OVERDUE,
                f"{deadline.isoformat()}:+{number}",
                deadline,
                -days_after,
                at_send_hour(deadline + timedelta(days=days_after), policy),
            )
        )
    return slots


@transaction.atomic
def plan_for_assignments(
    assignments: Iterable[Assignment] | None = None,
    *,
    ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Bring the unsent rows of these assignments in step with deadline and state.

    Planned rows no longer wanted (moved deadline) are deleted: they never went out, so no
    history is lost. Rows of an assignment that no longer owes work are cancelled and kept,
    so the office sees what was stopped. Returns the number of rows created.
    """
    now = now or timezone.now()
    policy = current_policy()
    if ids is None:
        ids = [a.pk for a in assignments or ()]
    rows = list(Assignment.objects.filter(pk__in=list(ids)).select_related("item__area__notice"))
    if not rows:
        return 0
    existing: dict[tuple[int, str, str], Reminder] = {
        (r.assignment_id, r.kind, r.slot): r
        # Urges are pressed by the office, not planned from the deadline: left alone here.
        for r in Reminder.objects.filter(assignment__in=rows)
        .exclude(kind=ReminderKind.URGE)
        .only("id", "assignment_id", "kind", "slot", "status", "claimed_at", "due_at")
    }
    open_ids = {a.pk for a in rows if wants_reminders(a)}
    planned: set[tuple[int, str, str]] = set()  # every slot of the current deadlines
    wanted: dict[tuple[int, str, str], tuple[Assignment, Slot]] = {}
    for assignment in rows:
        if assignment.pk in open_ids:
            for slot in slots_for(assignment.due_date, policy):
                key = (assignment.pk, slot.kind, slot.slot)
                planned.add(key)
                if slot.due_at > now:
                    wanted[key] = (assignment, slot)
    pending = {
        key: r
        for key, r in existing.items()
        if r.claimed_at is None and r.status == ReminderStatus.PLANNED
    }
    cancel = [r.pk for r in pending.values() if r.assignment_id not in open_ids]
    delete = [
        r.pk for key, r in pending.items() if r.assignment_id in open_ids and key not in planned
    ]
    if cancel:
        Reminder.objects.filter(pk__in=cancel, claimed_at=None).update(
            status=ReminderStatus.CANCELLED
        )
    if delete:
        Reminder.objects.filter(pk__in=delete, claimed_at=None).delete()
    revive = [
        r.pk
        for key, r in existing.items()
        if key in wanted and r.status == ReminderStatus.CANCELLED and r.claimed_at is None
    ]
    if revive:
        # A returned submission owes work again: its cancelled future rows come back.
        Reminder.objects.filter(pk__in=revive).update(status=ReminderStatus.PLANNED)
    new = [
        Reminder(
            assignment=assignment,
            kind=slot.kind,
            slot=slot.slot,
            deadline=slot.deadline,
            offset=slot.offset,
            due_at=slot.due_at,
        )
        for key, (assignment, slot) in wanted.items()
        if key not in existing
    ]
    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return len(new)


def plan_reminders(assignment: Assignment | int, *, now: datetime | None = None) -> int:
    """Plan (or re-plan, or cancel) one assignment's reminders; safe to call any number of
    times."""
    pk = assignment if isinstance(assignment, int) else assignment.pk
    return plan_for_assignments(ids=[pk], now=now)


def plan_reminders_for_items(item_ids: Iterable[int], *, now: datetime | None = None) -> int:
    ids = Assignment.objects.filter(item_id__in=list(item_ids)).values_list("pk", flat=True)
    return plan_for_assignments(ids=list(ids), now=now)


def plan_person_reminder(
    person,
    *,
    key: str,
    title: str,
    body: str,
    link: str,
    due_at: datetime,
) -> bool:
    """Plan one branch-life message to ``person``, at most once per ``key``.

    The key is the row's slot under the per-person unique constraint, so planning it again (a
    second run of the day, a redelivered job) finds the row and changes nothing, even once it
    is sent; a caller that wants a repeat puts the period in the key. Held past quiet hours.
    Returns True when a row was created.
    """
    due_at = hold_until_allowed(due_at, current_policy())
    _row, created = Reminder.objects.get_or_create(
        assignment=None,
        person=person,
        kind=ReminderKind.BRANCH_LIFE,
        slot=key[:100],
        defaults={
            "title": title[:200],
            "body": body[:500],
            "link": link[:300],
            "deadline": timezone.localtime(due_at).date(),
            "offset": 0,
            "due_at": due_at,
        },
    )
    return created


# --- the due pass ----------------------------------------------------------------------------


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
#: kind's to the same person; each branch-life row is about something else (its key), so none
#: supersedes another. The WHERE clause of the UPDATE repeats ``claimed_at IS NULL``:
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
            CASE WHEN assignment_id IS NULL AND kind = %(branch_life)s THEN id END
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
    from tasks.digests import plan_digests

    now = now or timezone.now()
    requeue_stale_claims(now)
    plan_digests(now)
    return claim_due_reminders(now)


def run_pass(now: datetime | None = None) -> dict[str, int]:
    """One synchronous pass (for cron): claim, then send each claimed row in this process."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for pk in beat_pass(now):
        try:
            outcome = deliver_reminder(pk, now=now)
        except OSError as exc:  # smtplib.SMTPException is an OSError
            release_for_retry(pk, str(exc) or exc.__class__.__name__, now=now)
            outcome = "retry"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def reminders_of(assignment: Assignment) -> list[Reminder]:
    """The assignment's reminders with their deliveries, for the office (two queries)."""
    return list(
        Reminder.objects.filter(assignment=assignment)
        .prefetch_related("deliveries__person")
        .order_by("due_at", "id")
    )
