"""A report goes round: submitted with a file, returned with a comment, resubmitted, approved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tasks.models import Assignment, AssignmentStatus
from tests.builders.tasks import PDF_BYTES, assignment_of, published_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _logout(page, live_server):
    page.context.clear_cookies()


def test_report_is_returned_resubmitted_and_approved(personas, login, page, live_server, tmp_path):
    item = published_item(personas.tree["committee"], title="上报学习研讨情况")
    assignment = assignment_of(item, personas.tree["branch_a"])
    detail = f"{live_server.url}{reverse('tasks:assignment_detail', args=[assignment.pk])}"
    report = tmp_path / "学习记录.pdf"
    report.write_bytes(PDF_BYTES)
    page.on("dialog", lambda dialog: dialog.accept())  # the "submit?" confirmation

    # The secretary finds the task on his to-do list and submits it with a file.
    login("secretary_a", personas.password())
    page.goto(f"{live_server.url}{reverse('tasks:todo_list', args=[personas.tree['branch_a'].pk])}")
    with page.expect_navigation():
        page.click("text=上报学习研讨情况")
    page.fill("textarea[name=report_text]", "组织学习二十大报告，党员交流心得。")
    page.set_input_files("input[name=upload]", str(report))
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.SUBMITTED
    assert "学习记录.pdf" in page.content()

    # The office returns it with a comment.
    _logout(page, live_server)
    login("office", personas.password())
    page.goto(f"{live_server.url}{reverse('tasks:review_list')}")
    with page.expect_navigation():
        page.click("text=上报学习研讨情况 >> nth=0")
    page.goto(detail)
    page.fill("textarea[name=comment]", "请补充会议照片")
    with page.expect_navigation():
        page.click("button[name=action][value=return]")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.RETURNED

    # The secretary sees the comment, adds to the report and resubmits.
    _logout(page, live_server)
    login("secretary_a", personas.password())
    page.goto(detail)
    assert "请补充会议照片" in page.locator("#review-comment").inner_text()
    page.fill("textarea[name=report_text]", "组织学习二十大报告，党员交流心得。已补充照片。")
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.SUBMITTED

    # The office approves.
    _logout(page, live_server)
    login("office", personas.password())
    page.goto(detail)
    with page.expect_navigation():
        page.click("button[name=action][value=approve]")
    final = Assignment.objects.get(pk=assignment.pk)
    assert final.status == AssignmentStatus.APPROVED
    assert final.files.count() == 1 and final.first_submitted_at < final.submitted_at
