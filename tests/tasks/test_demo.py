"""seed_demo loads notice 2022 No. 3 as history and a current notice of the same structure with
deadlines around today; a second run changes nothing."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from branches.models import MeetingRecord
from tasks.models import Assignment, DeadlineRule, Notice, NoticeAttachment, TaskItem
from tests.clock import WORKDAY_MORNING

LABELS = ["1", "2", "3", "4", "5a", "5b", "5c", "6", "7"]


def _snapshot():
    return (
        Notice.objects.count(),
        TaskItem.objects.count(),
        sorted(Assignment.objects.values_list("id", "status", "version")),
        MeetingRecord.objects.count(),
    )


@pytest.mark.clock(at=WORKDAY_MORNING)
def test_seed_demo_is_complete_and_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    notice = Notice.objects.get(year=2022, issue_number=3)
    assert notice.is_published and notice.areas.top_level().count() == 7
    labels = sorted(TaskItem.objects.filter(area__notice=notice).values_list("label", flat=True))
    assert labels == LABELS
    assert Assignment.objects.values("branch").distinct().count() == 12
    statuses = Counter(Assignment.objects.values_list("status", flat=True))
    assert set(statuses) == {"pending", "draft", "submitted", "returned", "approved"}
    assert Assignment.objects.late().exists() and Assignment.objects.overdue().exists()
    assert Assignment.objects.filter(status="returned").exclude(review_comment="").exists()
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first


@pytest.mark.clock(at=WORKDAY_MORNING)
def test_seed_notice_carries_the_seed_text_structure_and_deadline_rules(db):
    call_command("seed_demo", stdout=io.StringIO())
    notice = Notice.objects.get(year=2022, issue_number=3)
    areas = list(notice.areas.top_level().order_by("number"))
    assert [a.numbering for a in areas] == ["一、", "二、", "三、", "四、", "五、", "六、", "七、"]
    five = areas[4]
    parts = list(five.subareas.order_by("number"))
    assert [p.numbering for p in parts] == ["（一）", "（二）", "（三）"]
    assert "评估目标" in parts[1].body and "二十大报告" in areas[0].body
    items = {i.label: i for i in TaskItem.objects.filter(area__notice=notice)}
    assert all(item.instructions for item in items.values())
    assert items["5c"].subarea == parts[2] and items["5a"].subarea == parts[0]
    assert items["4"].deadline_rule == DeadlineRule.NONE and items["4"].deadline is None
    assert items["6"].deadline_rule == DeadlineRule.NONE and items["6"].kind == "development_report"
    assert items["5c"].deadline_rule == DeadlineRule.BEFORE_RATING
    assert items["7"].kind == "relation_report"
    assert items["1"].report_required
    attachments = {a.number: a for a in NoticeAttachment.objects.filter(notice=notice)}
    assert sorted(attachments) == [1, 2, 3, 4, 5]
    assert attachments[5].item == items["7"] and not attachments[5].is_form and attachments[5].file
    assert all(attachments[n].is_form for n in (1, 2, 3, 4))


@pytest.mark.clock(at=WORKDAY_MORNING)
def test_demo_has_a_current_notice_with_deadlines_around_today(db):
    call_command("seed_demo", stdout=io.StringIO())
    today = WORKDAY_MORNING.date()
    current = Notice.objects.get(year=today.year, issue_number=3)
    assert current.is_published and 0 < (today - current.date).days <= 31
    deadlines = [
        d
        for d in TaskItem.objects.filter(area__notice=current).values_list("deadline", flat=True)
        if d is not None
    ]
    assert min(deadlines) < today < max(deadlines)
    assert all(abs((d - today).days) <= 45 for d in deadlines)
    labels = sorted(TaskItem.objects.filter(area__notice=current).values_list("label", flat=True))
    assert labels == LABELS
    # The current notice's overdue work is days old, not years.
    overdue = Assignment.objects.overdue().filter(item__area__notice=current)
    assert overdue.exists()
    assert all(a.days_overdue < 40 for a in overdue.select_related("item"))
    assert current.areas.filter(parent__isnull=False).count() == 3
    assert date(2022, 10, 18) == Notice.objects.get(year=2022, issue_number=3).date
