"""Uploading the file of a reference attachment a notice names (a form attachment has none):
the notice's office only; the file is checked by its content, a bad one changes nothing."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEntry
from tasks.audit_actions import ACTION_ATTACHMENT_FILE_UPLOADED
from tasks.models import NoticeAttachment
from tests.bounds import docx_bomb, within_bounds
from tests.builders.tasks import PDF_BYTES, make_notice
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)
NAME = "关于规范党员组织关系管理的通知.pdf"


@pytest.fixture
def reference(personas):
    notice = make_notice(personas.tree["committee"])
    return NoticeAttachment.objects.create(notice=notice, number=5, title="规范组织关系管理的通知")


def _post(client, attachment, name=NAME, data=PDF_BYTES):
    url = reverse("tasks:notice_attachment_upload", args=[attachment.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, HTTP_ACCEPT_LANGUAGE="en")


def test_the_office_uploads_the_file(personas, reference, django_capture_on_commit_callbacks):
    office = personas.client("office")
    response = _post(office, reference)
    detail = reverse("tasks:notice_detail", args=[reference.notice_id])
    assert response["Location"] == f"{detail}#attachments"
    reference.refresh_from_db()
    assert reference.original_name == NAME
    download = office.get(reverse("tasks:notice_attachment", args=[reference.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    entry = AuditEntry.objects.get(action=ACTION_ATTACHMENT_FILE_UPLOADED)
    assert entry.data == {"attachment": 5, "file": NAME, "replaced": ""}
    # replaced: the earlier file is deleted once the new one is saved
    old = reference.file.path
    with django_capture_on_commit_callbacks(execute=True):
        _post(office, reference, "新版通知.pdf")
    reference.refresh_from_db()
    assert reference.original_name == "新版通知.pdf"
    assert not os.path.exists(old)
    page = office.get(detail).content.decode()
    assert reverse("tasks:notice_attachment_upload", args=[reference.pk]) in page


def test_outside_the_office_or_on_a_form_it_is_a_404(second_committee, reference):
    p = second_committee
    for name in ("office_2", "secretary_a", "committee", "member"):
        assert _post(p.client(name), reference).status_code == 404, name
    form = NoticeAttachment.objects.create(
        notice=reference.notice, number=1, title="计划表", form_kind="brand_plan"
    )
    assert _post(p.client("office"), form).status_code == 404
    reference.refresh_from_db()
    assert (
        not reference.file
        and not AuditEntry.objects.filter(action=ACTION_ATTACHMENT_FILE_UPLOADED).exists()
    )


def test_a_bad_file_is_refused_and_changes_nothing(personas, reference):
    office = personas.client("office")
    response = _post(office, reference, "通知.pdf", b"MZ\x90\x00 an executable")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("does not match its extension" in m for m in messages)
    response = within_bounds(lambda: _post(office, reference, "通知.docx", docx_bomb()))
    assert response.status_code == 302
    reference.refresh_from_db()
    assert not reference.file and reference.original_name == ""
