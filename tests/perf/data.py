"""Synthetic data in bulk: many branches under a committee, a published notice with many items,
one assignment per branch and item with a spread of states, and many people.

Used by the query-count tests (10 and 500 branches); ``make bench`` builds its regional data
with ``manage.py build_regional_data`` instead. Rows are written with ``bulk_create``;
tree paths are computed here the way treebeard computes them, so no row is saved one by one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from branches.models import MemberType, Organisation, OrgKind, Person, Service
from tasks.models import Assignment, AssignmentStatus, Notice, NoticeStatus, TaskArea, TaskItem

SH = ZoneInfo("Asia/Shanghai")
BATCH = 5000
S = AssignmentStatus
#: A cycle of states; with deadlines half past, half ahead this gives overdue and late cells.
CYCLE = [S.APPROVED, S.SUBMITTED, S.PENDING, S.DRAFT, S.RETURNED, S.APPROVED, S.PENDING]


def _children(parent: Organisation, specs: list[dict]) -> list[Organisation]:
    """Append children to ``parent`` in one INSERT, numbering after its existing children."""
    parent.refresh_from_db()
    start = parent.numchild
    rows = []
    for offset, fields in enumerate(specs, 1):
        path = Organisation._get_path(parent.path, parent.depth + 1, start + offset)
        rows.append(Organisation(path=path, depth=parent.depth + 1, numchild=0, **fields))
    Organisation.objects.bulk_create(rows, batch_size=BATCH)
    Organisation.objects.filter(pk=parent.pk).update(numchild=start + len(specs))
    return list(Organisation.objects.filter(path__in=[r.path for r in rows]).order_by("path"))


def build_branches(committee: Organisation, count: int, *, per_general: int = 50) -> list[int]:
    """``count`` branches in general branches of ``per_general``; every tenth one retired."""
    generals_needed = max(1, -(-count // per_general))
    generals = _children(
        committee,
        [
            {"name": f"第{g + 1}党总支", "kind": OrgKind.GENERAL_BRANCH}
            for g in range(generals_needed)
        ],
    )
    branch_ids: list[int] = []
    made = 0
    for general in generals:
        n = min(per_general, count - made)
        specs = [
            {
                "name": f"第{made + i + 1}党支部",
                "kind": OrgKind.BRANCH,
                "service": Service.RETIRED if (made + i) % 10 == 9 else Service.IN_SERVICE,
            }
            for i in range(n)
        ]
        branch_ids += [b.pk for b in _children(general, specs)]
        made += n
    return branch_ids


def build_notice(
    committee: Organisation,
    *,
    items: int,
    areas: int = 7,
    today: date | None = None,
    issue_number: int = 1,
) -> Notice:
    """A published notice with ``items`` items spread over ``areas`` areas (no assignments)."""
    today = today or timezone.localdate()
    notice = Notice.objects.create(
        committee=committee,
        year=today.year,
        issue_number=issue_number,
        date=today - timedelta(days=30),
        title="党支部工作提示（合成数据）",
        status=NoticeStatus.PUBLISHED,
        published_at=timezone.now() - timedelta(days=30),
    )
    area_rows = TaskArea.objects.bulk_create(
        [TaskArea(notice=notice, number=n + 1, title=f"第{n + 1}项重点工作") for n in range(areas)]
    )
    area_rows = list(TaskArea.objects.filter(notice=notice).order_by("number"))
    item_rows = [
        TaskItem(
            area=area_rows[i % areas],
            label=f"{i % areas + 1}{chr(97 + i // areas)}",
            title=f"报送第{i + 1}项材料",
            # Half the deadlines are behind us, half ahead.
            deadline=today + timedelta(days=(i % 10) * 6 - 30),
            kind="report",
        )
        for i in range(items)
    ]
    TaskItem.objects.bulk_create(item_rows, batch_size=BATCH)
    return notice


def build_assignments(notice: Notice, branch_ids: list[int]) -> int:
    """One assignment per branch and item, with a deterministic spread of states."""
    item_rows = list(TaskItem.objects.filter(area__notice=notice).values_list("id", "deadline"))
    rows = []
    for b, branch_id in enumerate(branch_ids):
        for i, (item_id, deadline) in enumerate(item_rows):
            status = CYCLE[(b * 3 + i) % len(CYCLE)]
            handed_in = status in (S.SUBMITTED, S.APPROVED, S.RETURNED)
            # Every fourth hand-in comes two days after the deadline: late.
            day = deadline + timedelta(days=2 if (b + i) % 4 == 0 else -1)
            at = datetime.combine(day, time(10), tzinfo=SH) if handed_in else None
            rows.append(
                Assignment(
                    item_id=item_id,
                    branch_id=branch_id,
                    status=status,
                    report_text="本支部已按要求完成。" if handed_in else "",
                    submitted_at=at,
                    first_submitted_at=at,
                    returned_at=at + timedelta(days=1) if status == S.RETURNED else None,
                    approved_at=at + timedelta(days=1) if status == S.APPROVED else None,
                )
            )
            if len(rows) >= BATCH:
                Assignment.objects.bulk_create(rows)
                rows = []
    Assignment.objects.bulk_create(rows)
    return len(branch_ids) * len(item_rows)


def build_people(branch_ids: list[int], count: int) -> int:
    """``count`` members spread evenly over the branches."""
    rows = []
    for n in range(count):
        rows.append(
            Person(
                name=f"党员{n}",
                branch_id=branch_ids[n % len(branch_ids)],
                member_type=MemberType.FULL if n % 9 else MemberType.PROBATIONARY,
                phone=f"139{n:08d}",
            )
        )
        if len(rows) >= BATCH:
            Person.objects.bulk_create(rows)
            rows = []
    Person.objects.bulk_create(rows)
    return count
