"""The tasks' part of the regional synthetic data (``manage.py build_regional_data``): a year
of notices per committee (``items_per_committee`` task items over ``notices_per_committee``
notices) and one assignment per branch and item.

The earlier notices are closed: every assignment handed in (nearly all approved, one in ten
still awaiting review), so the second is the workbook's notice. The latest runs: its
assignments pass through every state, half its deadlines behind, half ahead, with late
hand-ins among them. States are written directly (they describe the past), as the demo does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from portal.regional_data import WORKBOOK_ISSUE, RegionalData
from tasks.models import (
    Assignment,
    AssignmentStatus,
    Notice,
    NoticeStatus,
    TargetScope,
    TaskArea,
    TaskItem,
)

SH = ZoneInfo("Asia/Shanghai")
BATCH = 5000
AREAS = 7
S = AssignmentStatus
#: The running notice: with its deadlines half past, this gives overdue and late cells too.
RUNNING = [S.APPROVED, S.SUBMITTED, S.PENDING, S.DRAFT, S.RETURNED, S.APPROVED, S.PENDING]
#: A closed notice: every assignment handed in, nearly all long approved, a few still waiting.
CLOSED = [S.APPROVED] * 9 + [S.SUBMITTED]


def _notice(committee_id: int, issue: int, day: date, items: int, spread: int) -> list:
    """A published notice dated ``day`` with ``items`` report items, deadlines ``spread`` days
    apart from 10 days after it; returns [(item id, deadline)]."""
    notice = Notice.objects.create(
        committee_id=committee_id,
        year=day.year,
        issue_number=issue,
        date=day,
        title=f"党支部工作提示（合成数据）第{issue}期",
        status=NoticeStatus.PUBLISHED,
        published_at=datetime.combine(day, time(9), tzinfo=SH),
    )
    areas = TaskArea.objects.bulk_create(
        [TaskArea(notice=notice, number=n + 1, title=f"第{n + 1}项重点工作") for n in range(AREAS)]
    )
    rows = TaskItem.objects.bulk_create(
        [
            TaskItem(
                area=areas[i % AREAS],
                label=f"{i % AREAS + 1}{chr(97 + i // AREAS)}",
                title=f"报送第{i + 1}项材料",
                deadline=day + timedelta(days=10 + (i % 10) * spread),
                scope=TargetScope.ALL,
                kind="report",
            )
            for i in range(items)
        ]
    )
    return [(row.pk, row.deadline) for row in rows]


def _assignments(items: list, branch_ids: list[int], cycle: list[str]) -> list[Assignment]:
    rows = []
    for b, branch_id in enumerate(branch_ids):
        for i, (item_id, deadline) in enumerate(items):
            status = cycle[(b * 3 + i) % len(cycle)]
            handed_in = status in (S.SUBMITTED, S.APPROVED, S.RETURNED)
            # Every fourth hand-in comes two days after the deadline: late.
            day = deadline + timedelta(days=2 if (b + i) % 4 == 0 else -1)
            at = datetime.combine(day, time(10), tzinfo=SH) if handed_in else None
            rows.append(
                Assignment(
                    item_id=item_id,
                    branch_id=branch_id,
                    status=status,
                    report_text=f"本支部已按要求完成第{i + 1}项工作，材料已报送。"
                    if handed_in
                    else "",
                    submitted_at=at,
                    first_submitted_at=at,
                    returned_at=at + timedelta(days=1) if status == S.RETURNED else None,
                    approved_at=at + timedelta(days=1) if status == S.APPROVED else None,
                )
            )
    return rows


def build_regional_notices(data: RegionalData, write: Callable[[str], None]) -> None:
    size = data.size
    per_notice = size.items_per_committee // size.notices_per_committee
    today = timezone.localdate()
    total = 0
    pending: list[Assignment] = []
    for committee_id, branch_ids in data.branches.items():
        for n in range(size.notices_per_committee):
            running = n == size.notices_per_committee - 1
            # Spread over the year; the running one is 40 days old with deadlines around today.
            age = 40 + (size.notices_per_committee - 1 - n) * 120
            items = _notice(committee_id, n + 1, today - timedelta(days=age), per_notice, 6)
            pending += _assignments(items, branch_ids, RUNNING if running else CLOSED)
            if len(pending) >= BATCH:
                Assignment.objects.bulk_create(pending, batch_size=BATCH)
                total += len(pending)
                pending = []
    Assignment.objects.bulk_create(pending, batch_size=BATCH)
    total += len(pending)
    write(f"  {total} assignments")


def switch_workbook_items(data: RegionalData, position: int, kind: str) -> list[int]:
    """The item at ``position`` (0-based, by id) of each committee's workbook notice, switched
    to the deliverable ``kind``; returns their ids. The form steps of the other apps (surveys:
    attachments 1–3, ratings: attachment 4) fill them."""
    found = []
    for committee_id in data.branches:
        items = list(
            TaskItem.objects.filter(
                area__notice__committee_id=committee_id,
                area__notice__issue_number=WORKBOOK_ISSUE,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if position < len(items):
            found.append(items[position])
    TaskItem.objects.filter(pk__in=found).update(kind=kind)
    return found


def workbook_assignment_ids(item_ids: list[int]) -> list[int]:
    """The assignments of ``item_ids`` (every branch's), by id."""
    return list(
        Assignment.objects.filter(item_id__in=item_ids).order_by("pk").values_list("pk", flat=True)
    )
