"""The office composes a notice from its Word document in the browser: uploads it on the notice
list, corrects a deadline in the preview beside the document, saves the draft; the preview
stacks its two sides on a phone and fits 360 px."""

from __future__ import annotations

import datetime

import pytest

from tasks.models import Notice, TaskItem
from tests.builders.notice_import import small_notice_docx
from tests.e2e.sessions import AXE, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "第5期工作提示.docx"
    path.write_bytes(small_notice_docx())
    return path


def _upload(page, live_server, document):
    page.goto(f"{live_server.url}/tasks/notices/")
    page.set_input_files("#notice-upload-form input[name=document]", str(document))
    with page.expect_navigation():
        page.click("#notice-upload-form button[type=submit]")
    page.locator("#import-form").wait_for()


def test_upload_correct_a_deadline_and_save(personas, login, page, live_server, document):
    page.context.add_init_script(path=str(AXE))
    login("office", personas.password())
    _upload(page, live_server, document)
    assert not Notice.objects.exists()  # nothing saved before the office saves
    # the document's deadline phrase, marked with the date it became
    mark = page.locator("#import-document mark.deadline-phrase").first
    assert mark.inner_text() == "10月底前"
    assert mark.get_attribute("title") == "2022-10-31"
    assert page.locator("#import-document mark.deadline-open").first.inner_text() == "及时"
    assert page.input_value("#id_notice-issue_number") == "5"
    assert page.input_value("#id_item-0-deadline") == "2022-10-31"
    # the office moves a deadline and drops what is not a task
    page.fill("#id_item-0-deadline", "2022-11-04")
    page.uncheck("#id_item-2-keep")
    assert serious_violations(page) == []
    with page.expect_navigation():
        page.click("#import-save")
    notice = Notice.objects.get()
    assert page.url.endswith(f"/tasks/notices/{notice.pk}/")
    items = list(TaskItem.objects.filter(area__notice=notice).order_by("id"))
    assert [i.deadline for i in items] == [datetime.date(2022, 11, 4), datetime.date(2022, 11, 20)]
    assert items[1].kind == "brand_plan"
    # the original document is linked from the notice
    with page.expect_download() as download:
        page.click("#notice-source a")
    assert download.value.suggested_filename == "第5期工作提示.docx"


def test_the_preview_stacks_on_a_phone(personas, login, page, live_server, document):
    login("office", personas.password())
    page.set_viewport_size({"width": 360, "height": 740})
    _upload(page, live_server, document)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    doc = page.locator(".import-document-card").bounding_box()
    draft = page.locator("#header-heading").bounding_box()
    assert draft["y"] >= doc["y"] + doc["height"] - 1  # one above the other
    assert abs(draft["x"] - doc["x"]) < 20
    page.set_viewport_size({"width": 1280, "height": 900})
    doc = page.locator(".import-document-card").bounding_box()
    draft = page.locator("#header-heading").bounding_box()
    assert draft["x"] > doc["x"] + doc["width"] - 1  # side by side
