"""One reminder pass over 100,000 open assignments, each with a reminder due now.

Runs inside a transaction that is rolled back, so the bench database stays as built. The pass
is what the beat runs every minute (sweep, digest planning, superseding, claiming); the
publishing of one Celery message per claimed row is left out, since it measures the broker.
"""

from __future__ import annotations

import time
from datetime import timedelta

ASSIGNMENTS = 100_000
ITEMS = 100


class _Rollback(Exception):
    pass


def _build(committee_name: str) -> int:
    from django.utils import timezone

    from branches.models import Organisation, OrgKind
    from tasks.models import Assignment, Reminder, ReminderKind, ReminderPolicy, TaskItem
    from tests.perf.data import BATCH, build_notice

    committee = Organisation.objects.get(name=committee_name)
    branch_ids = list(
        Organisation.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    notice = build_notice(committee, items=ITEMS, issue_number=99)
    TaskItem.objects.filter(area__notice=notice).update(
        deadline=timezone.localdate() + timedelta(days=3)
    )
    item_ids = list(TaskItem.objects.filter(area__notice=notice).values_list("pk", flat=True))
    per_item = -(-ASSIGNMENTS // len(item_ids))
    rows = [
        Assignment(item_id=item_id, branch_id=branch_id)
        for item_id in item_ids
        for branch_id in branch_ids[:per_item]
    ][:ASSIGNMENTS]
    Assignment.objects.bulk_create(rows, batch_size=BATCH)
    deadline = timezone.localdate() + timedelta(days=3)
    now = timezone.now()
    ids = Assignment.objects.filter(item__area__notice=notice).values_list("pk", flat=True)
    reminders = []
    for pk in ids.iterator(chunk_size=BATCH):
        # The 3-day reminder is due now, the 1-day one still ahead (a realistic index).
        for offset, due in ((3, now - timedelta(minutes=1)), (1, now + timedelta(days=2))):
            reminders.append(
                Reminder(
                    assignment_id=pk,
                    kind=ReminderKind.BEFORE,
                    slot=f"{deadline.isoformat()}:{offset}",
                    deadline=deadline,
                    offset=offset,
                    due_at=due,
                )
            )
    Reminder.objects.bulk_create(reminders, batch_size=BATCH)
    # The bench measures the pass, not the clock: no quiet hours.
    ReminderPolicy.objects.update(quiet_start_hour=0, quiet_end_hour=0)
    return len(rows)


def bench_reminder_pass(committee_name: str, line) -> None:
    from django.db import connection, transaction

    from tasks.reminders import CLAIM_BATCH, beat_pass

    try:
        with transaction.atomic():
            count = _build(committee_name)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE tasks_reminder; ANALYZE tasks_assignment")
            started = time.perf_counter()
            claimed = beat_pass()
            elapsed = time.perf_counter() - started
            # A second beat right after takes what the first left over (its limit), never a row
            # the first one claimed: nothing is sent twice.
            again = beat_pass()
            assert len(claimed) == len(set(claimed)) >= min(count, CLAIM_BATCH), len(claimed)
            assert not set(again) & set(claimed)
            assert len(again) <= 1 + count - min(count, len(claimed)) + 10, len(again)
            line("reminder_pass_100k_s", elapsed, "s")
            line("reminder_pass_100k_claimed", len(claimed), "rows")
            raise _Rollback
    except _Rollback:
        pass
