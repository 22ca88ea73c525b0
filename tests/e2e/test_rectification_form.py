"""A secretary fills the rectification list in the browser: three rows, reordered, submitted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import RectificationItem
from tasks.models import Assignment, AssignmentStatus
from tests.builders.tasks import form_assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    ("会议记录不规范", "统一使用新版支部工作手册记录", "张三", "2022-10-31"),
    ("理论学习与科研结合不紧", "每季度开展一次专题研讨", "李四", "2022-12-31"),
    ("青年党员志愿服务参与少", "建立志愿服务积分制度", "王五", "2023-06-30"),
]


@pytest.fixture(autouse=True)
def _eager(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _fill(page, index, problem, measures, owner, deadline):
    page.fill(f"textarea[name=rows-{index}-problem]", problem)
    page.fill(f"textarea[name=rows-{index}-measures]", measures)
    page.fill(f"input[name=rows-{index}-owner]", owner)
    page.fill(f"input[name=rows-{index}-deadline]", deadline)


def test_secretary_fills_three_rows_and_submits(personas, login, page, live_server):
    assignment = form_assignment(personas, "rectification", title="报送整改问题及举措")
    page.on("dialog", lambda dialog: dialog.accept())
    login("secretary_a", personas.password())
    page.goto(f"{live_server.url}{reverse('tasks:assignment_detail', args=[assignment.pk])}")

    _fill(page, 0, *ROWS[0])
    page.click("#add-row")
    page.click("#add-row")
    page.click("#add-row")  # one too many: removed again below
    assert page.locator("[data-row]:visible").count() == 4
    _fill(page, 1, *ROWS[2])
    _fill(page, 2, *ROWS[1])
    page.locator("[data-row]").nth(3).locator("[data-row-remove]").click()
    assert page.locator("[data-row]:visible").count() == 3
    # the second and third rows were typed in the wrong order: move the third up
    page.locator("[data-row]").nth(2).locator("[data-row-up]").click()
    numbers = page.locator("[data-row]:visible [data-row-number]").all_inner_texts()
    assert numbers == ["1", "2", "3"]

    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.SUBMITTED
    saved = [(r.position, r.problem, r.owner) for r in RectificationItem.objects.all()]
    assert saved == [(n, p, o) for n, (p, _m, o, _d) in enumerate(ROWS, 1)]
    assert page.locator("#sheet-table tbody tr").count() == 3


def test_missing_owner_is_shown_next_to_the_row(personas, login, page, live_server):
    assignment = form_assignment(personas, "rectification")
    login("secretary_a", personas.password())
    page.goto(f"{live_server.url}{reverse('tasks:assignment_detail', args=[assignment.pk])}")
    _fill(page, 0, "会议记录不规范", "统一记录", "", "2022-10-31")
    page.locator("input[name=rows-0-owner]").evaluate("el => el.removeAttribute('required')")
    with page.expect_navigation():
        page.click("button[name=action][value=save]")
    assert page.locator(".sheet-row.border-danger").count() == 1
    assert page.locator(".sheet-row .invalid-feedback, .sheet-row .is-invalid").count() >= 1
    assert not RectificationItem.objects.exists()


def _open(page, live_server, assignment):
    page.goto(f"{live_server.url}{reverse('tasks:assignment_detail', args=[assignment.pk])}")


def test_rows_added_after_a_refused_submit_are_saved(personas, login, page, live_server):
    assignment = form_assignment(personas, "rectification")
    page.on("dialog", lambda dialog: dialog.accept())
    login("secretary_a", personas.password())
    _open(page, live_server, assignment)
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")  # blank: refused, nothing saved
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.PENDING
    page.click("#add-row")
    _fill(page, 1, *ROWS[0])
    page.select_option("select[name=rows-1-term]", "deadline")
    with page.expect_navigation():
        page.click("button[name=action][value=save]")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.DRAFT
    assert [r.problem for r in RectificationItem.objects.all()] == [ROWS[0][0]]


def test_typed_input_survives_a_reload_until_saved(personas, login, page, live_server):
    assignment = form_assignment(personas, "rectification")
    login("secretary_a", personas.password())
    _open(page, live_server, assignment)
    _fill(page, 0, *ROWS[0])
    page.click("#add-row")
    _fill(page, 1, *ROWS[1])
    page.fill("textarea[name=h-notes]", "支委会已研究")

    page.reload()  # closed without saving: nothing is on the server, the browser kept it
    assert not RectificationItem.objects.exists()
    assert page.locator("#unsaved-restored").is_visible()
    assert page.locator("[data-row]:visible").count() == 2
    assert page.input_value("textarea[name=rows-1-problem]") == ROWS[1][0]
    assert page.input_value("input[name=rows-0-owner]") == ROWS[0][2]
    assert page.input_value("textarea[name=h-notes]") == "支委会已研究"

    with page.expect_navigation():
        page.click("button[name=action][value=save]")
    assert RectificationItem.objects.count() == 2
    page.reload()  # saved: the kept copy is gone, the page shows the server's draft
    assert page.locator("#unsaved-restored").count() == 0


def test_restored_input_can_be_discarded(personas, login, page, live_server):
    assignment = form_assignment(personas, "rectification")
    login("secretary_a", personas.password())
    _open(page, live_server, assignment)
    page.fill("textarea[name=rows-0-problem]", ROWS[0][0])
    page.reload()
    assert page.input_value("textarea[name=rows-0-problem]") == ROWS[0][0]
    with page.expect_navigation():
        page.click("[data-unsaved-discard]")
    assert page.locator("#unsaved-restored").count() == 0
    assert page.input_value("textarea[name=rows-0-problem]") == ""


def test_logging_out_forgets_the_kept_input(personas, login, page, live_server):
    assignment = form_assignment(personas, "rectification")
    login("secretary_a", personas.password())
    _open(page, live_server, assignment)
    page.fill("textarea[name=rows-0-problem]", ROWS[0][0])
    kept = "() => Object.keys(localStorage).filter(k => k.startsWith('portal-unsaved:')).length"
    assert page.evaluate(kept) == 1
    page.click("nav .dropdown-toggle >> nth=-1")  # the user's menu
    with page.expect_navigation():
        page.click("form[data-keep-clear] button[type=submit]")
    assert page.evaluate(kept) == 0
