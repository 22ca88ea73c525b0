"""The review list's paging in deadline order: the same pages as sorting every matching row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import Paginator

from branches.models import Organisation, OrgKind
from tasks.access import reviewable_assignments
from tasks.models import Assignment, AssignmentStatus, TaskItem, local_today
from tasks.publishing import publish_notice
from tasks.review_paging import DEADLINE_ORDER, DeadlineOrderedRows
from tests.builders.tasks import make_item, make_notice
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture
def rows(personas):
    """Five branches or more owing seven items: two pairs share their area and deadline (their
    rows interleave by branch), one item has no fixed deadline, an eighth is withdrawn."""
    for name in ("丙党支部", "丁党支部", "戊党支部"):
        general = Organisation.objects.get(pk=personas.tree["general"].pk)
        Organisation.objects.add_child(
            general, create_kwargs={"name": name, "kind": OrgKind.BRANCH}
        )
    today = local_today()
    notice = make_notice(personas.tree["committee"])
    for area, days in [(2, 5), (2, 5), (1, 5), (1, 3), (3, 9), (3, 9), (1, 20), (4, 1)]:
        make_item(notice, area_number=area, deadline=today + timedelta(days=days))
    publish_notice(notice.pk, None)
    items = TaskItem.objects.filter(area__notice=notice).order_by("pk")
    TaskItem.objects.filter(pk=items[6].pk).update(deadline=None)
    TaskItem.objects.filter(pk=items[7].pk).update(withdrawn_at=WORKDAY_MORNING)
    # One branch has handed in a few: the default status filter leaves gaps in the groups.
    Assignment.objects.filter(branch=personas.tree["branch_a"], item__in=items[:3]).update(
        status=AssignmentStatus.SUBMITTED
    )
    return reviewable_assignments(personas.user("office"))


@pytest.mark.parametrize("per_page", [1, 2, 3, 4, 7, 50])
def test_each_page_holds_the_rows_of_the_sorted_list(rows, per_page):
    whole = Paginator(rows.order_by(*DEADLINE_ORDER), per_page)
    paged = Paginator(DeadlineOrderedRows(rows, rows), per_page)
    assert paged.count == whole.count == rows.count() >= 7 * 5
    assert paged.num_pages == whole.num_pages
    for number in whole.page_range:
        assert [a.pk for a in paged.page(number)] == [a.pk for a in whole.page(number)]


def test_a_filtered_list_and_an_empty_one(rows):
    submitted = rows.filter(status=AssignmentStatus.SUBMITTED)
    paged = Paginator(DeadlineOrderedRows(submitted, submitted), 2)
    assert paged.count == 3
    assert [a.pk for a in paged.page(2)] == [a.pk for a in submitted.order_by(*DEADLINE_ORDER)[2:]]
    nothing = rows.none()
    empty = Paginator(DeadlineOrderedRows(nothing, nothing), 25)
    assert empty.count == 0 and list(empty.page(1)) == []


def test_a_page_reads_only_the_items_it_spans(rows, django_assert_num_queries):
    listed, total = DeadlineOrderedRows(rows, rows), rows.count()
    with django_assert_num_queries(1):
        assert listed.count() == total
    # The item due in three days comes first, one row per branch: five rows are all its own.
    with django_assert_num_queries(1):
        first = listed[0:5]
    assert len({a.item_id for a in first}) == 1
    with django_assert_num_queries(1):
        across = listed[4:16]
    assert [a.pk for a in across] == [a.pk for a in rows.order_by(*DEADLINE_ORDER)[4:16]]
    assert len({a.item_id for a in across}) == 4
