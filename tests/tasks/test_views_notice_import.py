"""Uploading a notice's Word document: a good one goes to the preview (nothing saved yet); a
file that is no notice, or hostile, is refused on the form with its reason, nothing kept."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from portal.uploads import OLE2_MAGIC
from tasks import pending_docx
from tasks.models import Notice, TaskArea, TaskItem
from tests.bounds import docx_bomb, docx_with_entities, within_bounds
from tests.builders.notice_import import pending_tokens, small_notice_docx, upload
from tests.tasks.notice_docx.builders import DOCM_MAIN, handmade_docx, numbering_xml, p

URL = reverse("tasks:notice_import")
EMPTY_NUMBERING = numbering_xml({}, {})


@pytest.fixture
def office(personas):
    return personas.client("office")


def _pending_files(settings) -> list:
    folder = settings.MEDIA_ROOT / pending_docx.FOLDER
    return list(folder.iterdir()) if folder.exists() else []


def _refused(client, settings, data: bytes, name: str = "工作提示.docx") -> str:
    response = upload(client, data, name)
    assert response.status_code == 200
    assert not Notice.objects.exists() and not TaskArea.objects.exists()
    assert not TaskItem.objects.exists()
    assert pending_tokens(client) == [] and _pending_files(settings) == []
    [message] = response.context["form"].errors["document"]
    assert message in response.content.decode()
    return message


def test_only_the_office_uploads(personas):
    assert personas.client("office").get(URL).status_code == 200
    for name in ("committee", "secretary_a", "member", "regional"):
        assert personas.client(name).get(URL).status_code == 404
        assert upload(personas.client(name), small_notice_docx()).status_code == 404
    assert personas.client("anonymous").get(URL).status_code == 302


def test_the_notice_list_offers_the_upload(office):
    page = office.get(reverse("tasks:notice_list")).content.decode()
    assert f'action="{URL}"' in page and 'enctype="multipart/form-data"' in page


def test_a_good_document_goes_to_its_preview_and_nothing_is_saved(office, settings):
    response = upload(office, small_notice_docx())
    [token] = pending_tokens(office)
    assert response["Location"] == reverse("tasks:notice_import_preview", args=[token])
    assert [f.name for f in _pending_files(settings)] == [f"{token}.docx"]
    assert not Notice.objects.exists()


def test_a_session_keeps_a_few_uploads_at_most(office, settings):
    for _n in range(pending_docx.MAX_PER_SESSION + 2):
        upload(office, small_notice_docx())
    assert len(pending_tokens(office)) == pending_docx.MAX_PER_SESSION
    assert len(_pending_files(settings)) == pending_docx.MAX_PER_SESSION


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"%PDF-1.4 not a notice", "工作提示.docx", "not a Word document"),
        (b"just text", "工作提示.txt", "not a Word document"),
        (OLE2_MAGIC + b"\0" * 512 + "WordDocument".encode("utf-16-le"), "旧.docx", "old Word"),
        (
            OLE2_MAGIC + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le"),
            "加密.docx",
            "password-protected",
        ),
        (handmade_docx(p("一、学习"), EMPTY_NUMBERING), "宏.docm", "macros"),
        (handmade_docx(p("一、学习"), EMPTY_NUMBERING, main_type=DOCM_MAIN), "宏.docx", "macros"),
        (
            handmade_docx(p("x"), EMPTY_NUMBERING, extra={"word/vbaProject.bin": b"\0" * 64}),
            "宏.docx",
            "macros",
        ),
        (small_notice_docx()[:2000], "坏.docx", "damaged"),
        (handmade_docx("<w:p>not closed", EMPTY_NUMBERING), "坏.docx", "damaged"),
    ],
    ids=["pdf", "txt", "doc", "encrypted", "docm", "docm-inside", "vba", "truncated", "bad-xml"],
)
def test_bad_files_are_refused_with_their_reason(office, settings, data, name, reason):
    assert reason in _refused(office, settings, data, name)


def test_an_empty_upload_is_refused(office, settings):
    response = office.post(URL, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors["document"]
    assert _pending_files(settings) == []


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(office, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    data = small_notice_docx() + b"\0" * (1024 * 1024)
    assert "larger than 1 MB" in _refused(office, settings, data)


def test_a_zip_bomb_is_refused_quickly_without_inflating_it(office, settings):
    bomb = docx_bomb()
    message = within_bounds(lambda: _refused(office, settings, bomb))
    assert "expands" in message


def test_entities_are_refused(office, settings):
    assert _refused(office, settings, docx_with_entities())


def test_a_500_page_document_is_refused_within_bounds(office, settings):
    chance = random.Random(500)  # text that compresses like prose, not like a zip bomb
    body = "".join(
        p("".join(chr(chance.randint(0x4E00, 0x9FA5)) for _ in range(40))) for _ in range(15_000)
    )
    data = handmade_docx(body, EMPTY_NUMBERING)
    message = within_bounds(lambda: _refused(office, settings, data), seconds=5, megabytes=200)
    assert "too long for a notice" in message
