"""One reminder pass over 100,000 open assignments, each with a reminder due now.

The rows are written and committed first, then vacuumed and analysed (as autovacuum would
after a large insert), so the pass meets them as the beat does: committed long before, in a
table of its own transaction's making. The pass is what the beat runs every minute (sweep,
digest planning, superseding, claiming), timed with its commit; the publishing of one Celery
message per claimed row is left out, since it measures the broker. Afterwards the bench's
notice, its assignments and every reminder row are removed, so the bench database stays as
built (the synthetic data plans no reminders of its own).
"""

from __future__ import annotations

import time
from datetime import timedelta

ASSIGNMENTS = 100_000
ITEMS = 100


def _build(committee_name: str) -> int:
    from django.utils import timezone

    from branches.models import Organisation, OrgKind
    from tasks.models import Assignment, Reminder, ReminderKind, TaskItem
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
    return len(rows)


def _vacuum(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _remove(notice_pk: int) -> None:
    """Drop what ``_build`` wrote, in bulk statements (the ORM's cascade would collect 100,000
    assignments one by one)."""
    from django.db import connection, transaction

    from tasks.models import Notice

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE tasks_reminderdelivery, tasks_reminder")
        cursor.execute(
            "DELETE FROM tasks_assignment WHERE item_id IN (SELECT i.id FROM tasks_taskitem i "
            "JOIN tasks_taskarea a ON a.id = i.area_id WHERE a.notice_id = %s)",
            [notice_pk],
        )
        Notice.objects.filter(pk=notice_pk).delete()
    _vacuum("tasks_assignment")


def bench_reminder_pass(committee_name: str, line) -> None:
    from django.db import transaction
    from django.utils import timezone

    from tasks.models import Notice, Reminder, ReminderPolicy
    from tasks.reminders.claiming import CLAIM_BATCH, beat_pass

    policy = ReminderPolicy.objects.values("quiet_start_hour", "quiet_end_hour").first()
    # The bench measures the pass, not the clock: no quiet hours while it runs.
    ReminderPolicy.objects.update(quiet_start_hour=0, quiet_end_hour=0)
    try:
        with transaction.atomic():
            count = _build(committee_name)
        _vacuum("tasks_reminder", "tasks_assignment")
        started = time.perf_counter()
        with transaction.atomic():
            claimed = beat_pass()
        elapsed = time.perf_counter() - started
        # A second beat right after takes what the first left over (its limit), never a row
        # the first one claimed: nothing is sent twice, nothing due is left. (After 08:30 in
        # Shanghai the first pass also plans the day's digests; due earlier, they are claimed
        # first and as many of the bench's rows wait for the second pass.)
        with transaction.atomic():
            again = beat_pass()
        assert len(claimed) == len(set(claimed)) >= min(count, CLAIM_BATCH), len(claimed)
        assert not set(again) & set(claimed)
        due = Reminder.objects.filter(assignment__isnull=False, due_at__lte=timezone.now())
        assert due.filter(pk__in=set(claimed) | set(again)).count() == count
        line("reminder_pass_100k_s", elapsed, "s")
        line("reminder_pass_100k_claimed", len(claimed), "rows")
    finally:
        notice = Notice.objects.filter(committee__name=committee_name, issue_number=99).first()
        if notice is not None:
            _remove(notice.pk)
        if policy:
            ReminderPolicy.objects.update(**policy)
