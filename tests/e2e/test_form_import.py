"""A secretary imports a filled template: preview first, saved only after confirming."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from portal.xlsx import write_xlsx
from surveys.models import RectificationItem
from surveys.sheets.rectification import RectificationExporter
from tasks.models import Assignment, AssignmentStatus
from tests.builders.surveys import rectification_values
from tests.builders.tasks import form_assignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _eager(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


class _Row:
    def __init__(self, **values):
        self.__dict__.update(values)


def _filled_template(path, rows):
    with translation.override("zh-hans"):  # the browser asks for Chinese: same headers
        exporter = RectificationExporter(rows=[_Row(**r) for r in rows], unit_name="甲党支部")
        write_xlsx(exporter, str(path))


def test_import_a_filled_template(personas, login, page, live_server, tmp_path):
    assignment = form_assignment(personas, "rectification")
    good = tmp_path / "整改清单.xlsx"
    _filled_template(good, [rectification_values(problem=f"问题{n}") for n in (1, 2, 3)])
    bad = tmp_path / "错误.xlsx"
    _filled_template(bad, [rectification_values(problem="缺责任人", owner="")])

    login("secretary_a", personas.password())
    page.goto(f"{live_server.url}{reverse('tasks:assignment_detail', args=[assignment.pk])}")
    with page.expect_navigation():
        page.click("#sheet-import")

    # a file with a problem: listed by row and column, nothing saved
    page.set_input_files("input[name=file]", str(bad))
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    assert page.locator("#import-errors tbody tr").count() == 1
    assert "4" in page.locator("#import-errors tbody tr td").first.inner_text()
    assert not RectificationItem.objects.exists()

    # the good file: preview, then confirm
    page.set_input_files("input[name=file]", str(good))
    with page.expect_navigation():
        page.click("#import-form button[type=submit]")
    assert page.locator("#import-preview tbody tr").count() == 3
    assert not RectificationItem.objects.exists()
    with page.expect_navigation():
        page.click("#import-confirm")
    assert [r.problem for r in RectificationItem.objects.all()] == ["问题1", "问题2", "问题3"]
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.DRAFT
    assert page.locator("textarea[name=rows-2-problem]").input_value() == "问题3"
