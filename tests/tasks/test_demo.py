"""seed_demo loads notice 2022 No. 3 with a spread of states; a second run changes nothing."""

from __future__ import annotations

import io
from collections import Counter

from django.core.management import call_command

from branches.models import MeetingRecord
from tasks.models import Assignment, Notice, TaskItem


def _snapshot():
    return (
        Notice.objects.count(),
        TaskItem.objects.count(),
        sorted(Assignment.objects.values_list("id", "status", "version")),
        MeetingRecord.objects.count(),
    )


def test_seed_demo_is_complete_and_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    notice = Notice.objects.get(year=2022, issue_number=3)
    assert notice.is_published and notice.areas.count() == 7
    labels = sorted(TaskItem.objects.values_list("label", flat=True))
    assert labels == ["1", "2", "3", "4", "5a", "5b", "5c", "6", "7"]
    assert Assignment.objects.values("branch").distinct().count() == 12
    statuses = Counter(Assignment.objects.values_list("status", flat=True))
    assert set(statuses) == {"pending", "draft", "submitted", "returned", "approved"}
    assert Assignment.objects.late().exists() and Assignment.objects.overdue().exists()
    assert Assignment.objects.filter(status="returned").exclude(review_comment="").exists()
    first = _snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first
