"""Downloading a notice's reference attachment (附件N): the notice's office and the branches that
owe its items; anyone else gets a 404, and a form attachment has no file to download."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tasks.models import Notice, NoticeAttachment
from tests.builders.tasks import PDF_BYTES, make_item, make_notice, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


def attach_reference(notice: Notice, number: int = 5) -> NoticeAttachment:
    name = "关于进一步规范党员组织关系管理的通知.pdf"
    attachment = NoticeAttachment(notice=notice, number=number, title="规范组织关系管理的通知")
    attachment.file.save(name, ContentFile(PDF_BYTES), save=False)
    attachment.original_name = name
    attachment.save()
    return attachment


def test_the_office_and_owing_branches_download_the_reference(personas):
    notice = published_item(personas.tree["committee"]).area.notice
    attachment = attach_reference(notice)
    url = reverse("tasks:notice_attachment", args=[attachment.pk])
    for name in ("office", "secretary_a"):
        response = personas.client(name).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert "attachment;" in response["Content-Disposition"]
    assert personas.client("member").get(url).status_code == 404


def test_a_draft_notice_attachment_is_the_office_s_only(personas):
    notice = make_notice(personas.tree["committee"])
    make_item(notice)
    attachment = attach_reference(notice)
    url = reverse("tasks:notice_attachment", args=[attachment.pk])
    assert personas.client("office").get(url).status_code == 200
    assert personas.client("secretary_a").get(url).status_code == 404


def test_a_form_attachment_has_nothing_to_download(personas):
    notice = published_item(personas.tree["committee"]).area.notice
    form = NoticeAttachment.objects.create(
        notice=notice, number=1, title="整改问题及举措", form_kind="rectification"
    )
    response = personas.client("office").get(reverse("tasks:notice_attachment", args=[form.pk]))
    assert response.status_code == 404
