"""Derived states: overdue and late come from deadline, extension and timestamps."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tasks import services
from tasks.models import Assignment, end_of_day, local_today
from tests.builders.tasks import assignment_of, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)

SH = ZoneInfo("Asia/Shanghai")


def test_end_of_day_is_midnight_after_in_shanghai():
    due = end_of_day(datetime(2022, 10, 31).date())
    assert due == datetime(2022, 11, 1, 0, 0, tzinfo=SH)
    assert due.astimezone(ZoneInfo("UTC")).hour == 16


def test_overdue_and_the_extension_moves_it(personas):
    item = published_item(personas.tree["committee"], deadline=local_today() - timedelta(days=1))
    a = assignment_of(item, personas.tree["branch_a"])
    branch_a = personas.tree["branch_a"]
    assert list(Assignment.objects.for_branch(branch_a).open().overdue()) == [a]
    assert a.is_overdue and a.days_left == -1 and a.days_overdue == 1

    services.grant_extension(a.pk, personas.user("office"), until=local_today() + timedelta(days=3))
    a = assignment_of(item, branch_a)
    assert not Assignment.objects.for_branch(branch_a).overdue().exists()
    assert not a.is_overdue and a.days_left == 3
    flagged = Assignment.objects.with_flags().get(pk=a.pk)
    assert flagged.effective_due == local_today() + timedelta(days=3)
    assert flagged.is_overdue_db is False
    # The other branch keeps the original deadline.
    assert Assignment.objects.for_branch(personas.tree["branch_b"]).overdue().exists()


def test_due_today_is_not_overdue(personas):
    item = published_item(personas.tree["committee"], deadline=local_today())
    a = assignment_of(item, personas.tree["branch_a"])
    assert not a.is_overdue and a.days_left == 0
    assert not Assignment.objects.overdue().exists()


def test_late_is_derived_from_the_first_submission(personas):
    item = published_item(personas.tree["committee"], deadline=local_today() - timedelta(days=5))
    a = assignment_of(item, personas.tree["branch_a"])
    on_time = assignment_of(item, personas.tree["branch_b"])
    Assignment.objects.filter(pk=on_time.pk).update(
        status="submitted",
        first_submitted_at=end_of_day(item.deadline) - timedelta(minutes=1),
    )
    Assignment.objects.filter(pk=a.pk).update(
        status="submitted", first_submitted_at=end_of_day(item.deadline) + timedelta(minutes=1)
    )
    assert list(Assignment.objects.late()) == [Assignment.objects.get(pk=a.pk)]
    assert Assignment.objects.get(pk=a.pk).is_late
    assert not Assignment.objects.get(pk=on_time.pk).is_late


def test_submitted_is_neither_open_nor_overdue(personas):
    item = published_item(personas.tree["committee"], deadline=local_today() - timedelta(days=1))
    a = assignment_of(item, personas.tree["branch_a"])
    Assignment.objects.filter(pk=a.pk).update(status="submitted", first_submitted_at=timezone.now())
    assert not Assignment.objects.open().filter(pk=a.pk).exists()
    assert not Assignment.objects.overdue().filter(pk=a.pk).exists()
