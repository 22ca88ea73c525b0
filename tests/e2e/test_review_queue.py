"""Reviewing many in a browser: ticking several submissions and approving them at once, stepping
through the queue with "approve and next" / "return and next", at 1280 px and as cards at 360 px,
with no serious or critical accessibility violation on the review list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assignment, AssignmentStatus
from tests.builders.tasks import published_item
from tests.e2e.sessions import open_as, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

S = AssignmentStatus


def _submitted(personas, titles) -> list[Assignment]:
    """Each title an item; both branches hand it in, the earlier title the longer ago."""
    found = []
    for index, title in enumerate(titles):
        item = published_item(personas.tree["committee"], title=title)
        Assignment.objects.filter(item=item).update(
            status=S.SUBMITTED,
            report_text="已完成",
            submitted_at=timezone.now() - timezone.timedelta(hours=len(titles) - index),
        )
        found += list(Assignment.objects.filter(item=item).order_by("branch__path"))
    return found


def _office(browser, live_server, personas, width: int):
    return open_as(browser, live_server, personas, "office", width)


def _statuses(rows) -> list[str]:
    return [Assignment.objects.get(pk=a.pk).status for a in rows]


def test_tick_several_and_approve_them_at_1280(browser, live_server, personas):
    rows = _submitted(personas, ["学习研讨情况", "品牌创建计划"])
    context, page = _office(browser, live_server, personas, 1280)
    try:
        page.goto(f"{live_server.url}{reverse('tasks:review_list')}")
        table = page.locator(".table-responsive table")
        assert table.is_visible()
        for picked in rows[:2]:
            table.locator(f"input[name=ids][value='{picked.pk}']").check()
        with page.expect_navigation():
            page.click("#bulk-approve button[type=submit]")
        assert _statuses(rows) == [S.APPROVED, S.APPROVED, S.SUBMITTED, S.SUBMITTED]
        assert "2" in page.locator(".alert-success").inner_text()
    finally:
        context.close()


def test_step_through_the_queue_at_1280(browser, live_server, personas):
    rows = _submitted(personas, ["学习研讨情况", "品牌创建计划"])
    context, page = _office(browser, live_server, personas, 1280)
    try:
        page.goto(f"{live_server.url}{reverse('tasks:review_list')}")
        with page.expect_navigation():
            page.locator(".table-responsive a", has_text="学习研讨情况").first.click()
        first = int(page.url.split("/assignments/")[1].split("/")[0])
        with page.expect_navigation():
            page.click("button[name=action][value=approve_next]")
        assert Assignment.objects.get(pk=first).status == S.APPROVED
        # The next page is another submission of the same queue, still waiting.
        second = int(page.url.split("/assignments/")[1].split("/")[0])
        assert second != first and Assignment.objects.get(pk=second).status == S.SUBMITTED
        page.fill("textarea[name=comment]", "请补充会议照片")
        with page.expect_navigation():
            page.click("button[name=action][value=return_next]")
        returned = Assignment.objects.get(pk=second)
        assert returned.status == S.RETURNED and returned.review_comment == "请补充会议照片"
        assert sorted(_statuses(rows)).count(S.SUBMITTED) == 2
    finally:
        context.close()


def test_the_review_list_is_cards_a_thumb_can_use_at_360(browser, live_server, personas):
    rows = _submitted(personas, ["学习研讨情况"])
    context, page = _office(browser, live_server, personas, 360)
    try:
        page.goto(f"{live_server.url}{reverse('tasks:review_list')}")
        assert page.locator(".table-responsive table").is_hidden()
        cards = page.locator(".d-md-none .card")
        assert cards.count() == len(rows)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # Each tick box has a label to press, at least 24 px high.
        label = page.locator(f"label[for=pick-{rows[0].pk}]")
        assert label.bounding_box()["height"] >= 20
        label.click()
        with page.expect_navigation():
            page.click("#bulk-approve button[type=submit]")
        assert _statuses(rows) == [S.APPROVED, S.SUBMITTED]
        # The task link inside a card opens the submission.
        with page.expect_navigation():
            page.locator(".d-md-none .card a", has_text="学习研讨情况").first.click()
        assert "/assignments/" in page.url
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_review_list_has_no_serious_accessibility_violation(
    browser, live_server, personas, width
):
    _submitted(personas, ["学习研讨情况"])
    context, page = _office(browser, live_server, personas, width)
    try:
        page.goto(f"{live_server.url}{reverse('tasks:review_list')}")
        bad = serious_violations(page)
        assert not bad, bad
    finally:
        context.close()
