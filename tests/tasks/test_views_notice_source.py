"""Downloading the Word document a notice was read from: its committee's office only, as an
attachment; a notice composed by hand has none."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.builders.notice_import import small_notice_docx
from tests.builders.tasks import make_notice
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


def _with_source(notice, data: bytes, name: str = "第5期工作提示.docx"):
    notice.source_file.save(name, ContentFile(data), save=False)
    notice.source_name = name
    notice.save()
    return notice


def test_the_office_downloads_the_original(second_committee):
    p = second_committee
    data = small_notice_docx()
    notice = _with_source(make_notice(p.tree["committee"]), data)
    url = reverse("tasks:notice_source", args=[notice.pk])
    response = p.client("office").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    # the stored name is random: the user's name is for display only
    assert "工作提示" not in notice.source_file.name
    for name in ("office_2", "committee", "secretary_a", "member", "regional"):
        assert p.client(name).get(url).status_code == 404, name


def test_a_notice_without_a_document_has_none(personas):
    notice = make_notice(personas.tree["committee"])
    url = reverse("tasks:notice_source", args=[notice.pk])
    assert personas.client("office").get(url).status_code == 404


def test_the_notice_page_links_it(personas):
    notice = _with_source(make_notice(personas.tree["committee"]), small_notice_docx())
    page = personas.client("office").get(reverse("tasks:notice_detail", args=[notice.pk]))
    assert reverse("tasks:notice_source", args=[notice.pk]) in page.content.decode()
    assert "第5期工作提示.docx" in page.content.decode()
