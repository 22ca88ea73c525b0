"""Everyone hears when their work changes, in a browser: the office returns a submission with a
comment and the secretary, on a phone, sees the unread count, reads the comment in the
notification centre and opens the task; an approval reaches him at 1280 px; an urge pressed in
quiet hours tells the office when it will go out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assignment, AssignmentStatus, Notification, ReminderPolicy
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.claiming import run_pass
from tests.builders.tasks import assignment_of, published_item
from tests.e2e.sessions import open_as, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _mail(settings, personas):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    person = personas.people["secretary_a"]
    person.email = "secretary_a@example.cn"
    person.save(update_fields=["email"])


def _no_quiet_hours():
    # The test runs at whatever hour CI does: no quiet hours, so the messages go out at once.
    ReminderPolicy.objects.update_or_create(
        is_default=True, defaults={"quiet_start_hour": 0, "quiet_end_hour": 0}
    )


def _quiet_now():
    hour = timezone.localtime(timezone.now(), DEADLINE_TZ).hour
    ReminderPolicy.objects.update_or_create(
        is_default=True, defaults={"quiet_start_hour": hour, "quiet_end_hour": (hour + 2) % 24}
    )


@pytest.fixture
def submitted(personas):
    item = published_item(
        personas.tree["committee"],
        title="上报学习研讨情况",
        deadline=timezone.localdate() + timedelta(days=10),
    )
    assignment = assignment_of(item, personas.tree["branch_a"])
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.SUBMITTED, report_text="已完成", submitted_at=timezone.now()
    )
    return assignment


def test_a_return_reaches_the_secretary_s_phone(browser, live_server, personas, submitted):
    _no_quiet_hours()
    detail = reverse("tasks:assignment_detail", args=[submitted.pk])
    context, page = open_as(browser, live_server, personas, "office", 1280)
    try:
        page.goto(f"{live_server.url}{detail}")
        page.fill("textarea[name=comment]", "请补充会议照片和签到表")
        with page.expect_navigation():
            page.click("button[name=action][value=return]")
    finally:
        context.close()
    assert Assignment.objects.get(pk=submitted.pk).status == AssignmentStatus.RETURNED

    run_pass()  # what the beat does every minute
    assert [m.to for m in mail.outbox] == [["secretary_a@example.cn"]]
    assert "请补充会议照片和签到表" in mail.outbox[0].body

    context, page = open_as(browser, live_server, personas, "secretary_a", 360)
    try:
        badge = page.locator("#nav-notifications-phone")
        assert badge.is_visible() and "1" in badge.inner_text()
        with page.expect_navigation():
            badge.click()
        listed = page.locator("#notifications li").first
        assert "请补充会议照片和签到表" in listed.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert not serious_violations(page)
        with page.expect_navigation():
            listed.locator("button[name=open]").click()
        assert page.url.endswith(detail)
        assert "请补充会议照片和签到表" in page.locator("#review-comment").inner_text()
        assert page.locator("#nav-notifications-phone").count() == 0  # read now
    finally:
        context.close()
    assert Notification.objects.get(user=personas.user("secretary_a")).read_at is not None


def test_an_approval_reaches_the_secretary(browser, live_server, personas, submitted):
    _no_quiet_hours()
    context, page = open_as(browser, live_server, personas, "office", 1280)
    try:
        page.goto(f"{live_server.url}{reverse('tasks:review_list')}")
        page.locator(f".table-responsive input[name=ids][value='{submitted.pk}']").check()
        with page.expect_navigation():
            page.click("#bulk-approve button[type=submit]")
    finally:
        context.close()
    run_pass()

    context, page = open_as(browser, live_server, personas, "secretary_a", 1280)
    try:
        badge = page.locator("#nav-notifications .badge")
        assert badge.inner_text() == "1"
        with page.expect_navigation():
            page.click("#nav-notifications")
        text = page.locator("#notifications").inner_text()
        assert "上报学习研讨情况" in text and "通过" in text
    finally:
        context.close()


def test_an_urge_in_quiet_hours_says_when_it_goes_out(browser, live_server, personas):
    _quiet_now()
    item = published_item(
        personas.tree["committee"],
        title="报送品牌创建计划",
        deadline=timezone.localdate() - timedelta(days=2),
    )
    context, page = open_as(browser, live_server, personas, "office", 1280)
    try:
        page.goto(
            f"{live_server.url}{reverse('tasks:review_list')}?status=pending&notice={item.area.notice_id}"
        )
        with page.expect_navigation():
            page.locator(".table-responsive form button", has_text="催办").first.click()
        assert "现为免打扰时段，催办将于" in page.locator(".alert").first.inner_text()
    finally:
        context.close()
    assert mail.outbox == []
