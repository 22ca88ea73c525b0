"""The blank form of a notice's form attachment (附件1–4): generated from the portal's own layout
for the notice's office and the branches that owe its items; it imports back unchanged."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from surveys.sheets.rectification import RectificationExporter
from tasks.models import Notice, NoticeAttachment
from tests.builders.tasks import make_item, make_notice, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


def attach_form(notice: Notice, number: int = 1, kind: str = "rectification") -> NoticeAttachment:
    return NoticeAttachment.objects.create(
        notice=notice, number=number, title="党支部相关整改问题及举措", form_kind=kind
    )


def _headers(content: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return {str(v) for row in sheet.iter_rows(max_row=12, values_only=True) for v in row if v}


def test_the_office_and_owing_branches_download_the_blank_form(personas, settings):
    settings.LANGUAGE_CODE = "en"
    notice = published_item(personas.tree["committee"]).area.notice
    url = reverse("tasks:notice_attachment_template", args=[attach_form(notice).pk])
    for name in ("office", "secretary_a"):
        response = personas.client(name).get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment;" in response["Content-Disposition"]
        headers = _headers(response.content)
        assert {str(c.header) for c in RectificationExporter.columns} <= headers
    assert personas.client("member").get(url).status_code == 404


def test_a_draft_notice_form_is_the_office_s_only(personas):
    notice = make_notice(personas.tree["committee"])
    make_item(notice)
    url = reverse("tasks:notice_attachment_template", args=[attach_form(notice).pk])
    assert personas.client("office").get(url).status_code == 200
    assert personas.client("secretary_a").get(url).status_code == 404


def test_a_reference_document_has_no_blank_form(personas):
    notice = published_item(personas.tree["committee"]).area.notice
    reference = NoticeAttachment.objects.create(notice=notice, number=5, title="规范组织关系管理")
    url = reverse("tasks:notice_attachment_template", args=[reference.pk])
    assert personas.client("office").get(url).status_code == 404


def test_a_kind_without_an_excel_form_has_no_blank_form(personas):
    notice = published_item(personas.tree["committee"]).area.notice
    url = reverse("tasks:notice_attachment_template", args=[attach_form(notice, 2, "report").pk])
    assert personas.client("office").get(url).status_code == 404


def test_the_notice_page_links_the_blank_form(personas):
    notice = published_item(personas.tree["committee"]).area.notice
    form = attach_form(notice)
    page = personas.client("office").get(reverse("tasks:notice_detail", args=[notice.pk]))
    assert reverse("tasks:notice_attachment_template", args=[form.pk]) in page.content.decode()
