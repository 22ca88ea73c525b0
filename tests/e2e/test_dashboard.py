"""Browser test: the office opens a notice's dashboard, filters it and clicks through a cell."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tasks.models import Assignment, AssignmentStatus, local_today
from tasks.publishing import publish_notice
from tests.builders.tasks import make_item, make_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_filters_the_matrix_and_opens_an_assignment(personas, login, page, live_server):
    notice = make_notice(personas.tree["committee"], title="党支部工作提示")
    make_item(notice, label="1", title="学习交流", deadline=local_today() - timedelta(days=2))
    make_item(notice, area_number=2, label="2", title="整改清单")
    publish_notice(notice.pk, None)
    approved = Assignment.objects.get(branch=personas.tree["branch_a"], item__label="2")
    Assignment.objects.filter(pk=approved.pk).update(status=AssignmentStatus.APPROVED)

    login("office", personas.password())
    page.goto(f"{live_server.url}{reverse('tasks:dashboard_list')}")
    with page.expect_navigation():
        page.click(f"a[href='{reverse('tasks:notice_dashboard', args=[notice.pk])}']")
    matrix = page.locator("#matrix")
    assert matrix.locator("a.cell").count() == 4  # two in-service branches × two items
    assert matrix.locator("a.cell.st-overdue").count() == 2  # item 1 of both branches
    assert page.locator("#chart-timeline").is_visible()

    # The header row stays in place while the matrix scrolls.
    position = page.eval_on_selector(".matrix thead th.corner", "e => getComputedStyle(e).position")
    assert position == "sticky"

    # Changing a filter applies it at once: only rows with an approved cell are left.
    with page.expect_navigation():
        page.select_option("#f-status", "approved")
    assert "status=approved" in page.url
    assert matrix.locator("th.branch a").all_inner_texts() == ["甲党支部"]

    with page.expect_navigation():
        matrix.locator("a.cell.st-approved").first.click()
    assert page.url.endswith(reverse("tasks:assignment_detail", args=[approved.pk]))
    assert "整改清单" in page.content()
