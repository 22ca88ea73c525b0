"""portal.uploads: files are accepted by content, and extension and content must agree."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal.uploads import CheckedFileField, detect_format, display_name, validate_upload
from tests.bounds import DOCX_MAIN, docx_bomb, docx_with_entities, within_bounds

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 100


def ooxml(main_type: str, part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types><Override PartName="/{part}" ContentType="{main_type}"/>'
            "</Types>",
        )
        archive.writestr(part, "<xml/>")
    return buffer.getvalue()


DOCX = ooxml(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "word/document.xml",
)
XLSX = ooxml(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/workbook.xml"
)
PPTX = ooxml(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    "ppt/presentation.xml",
)
DOCM = ooxml("application/vnd.ms-word.document.macroEnabled.main+xml", "word/document.xml")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("报告.pdf", PDF, "pdf"),
        ("照片.png", PNG, "png"),
        ("照片.JPG", JPG, "jpg"),
        ("照片.jpeg", JPG, "jpg"),
        ("计划.docx", DOCX, "docx"),
        ("名单.xlsx", XLSX, "xlsx"),
        ("汇报.pptx", PPTX, "pptx"),
        ("旧版.doc", OLE2 + "WordDocument".encode("utf-16-le"), "doc"),
        ("旧表.xls", OLE2 + "Workbook".encode("utf-16-le"), "xls"),
        ("旧稿.ppt", OLE2 + "PowerPoint Document".encode("utf-16-le"), "ppt"),
    ],
)
def test_real_files_are_accepted(name, content, expected):
    assert validate_upload(upload(name, content)) == expected


@pytest.mark.parametrize(
    "name,content",
    [
        ("病毒.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),  # an exe renamed to .pdf
        ("图片.pdf", PNG),  # a real png with the wrong extension
        ("文档.pdf", DOCX),
        ("表格.docx", XLSX),  # a spreadsheet pretending to be a document
        ("宏.docx", DOCM),  # macro-enabled content under a .docx name
        ("压缩.docx", b"PK\x03\x04" + b"\x00" * 50),  # a broken zip
        ("脚本.html", b"<script>alert(1)</script>"),
        ("旧版.doc", OLE2),  # OLE2 without a Word stream
        ("名单.xls", OLE2 + "WordDocument".encode("utf-16-le")),
        ("无扩展名", PDF),
        ("空.pdf", b""),
    ],
)
def test_disguised_or_unknown_files_are_refused(name, content):
    with pytest.raises(ValidationError):
        validate_upload(upload(name, content))


def test_oversized_file_is_refused_with_the_limit_in_the_message(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as info:
        validate_upload(upload("大文件.pdf", PDF + b"0" * (1024 * 1024)))
    assert info.value.code == "too_large"
    assert "1" in str(info.value.messages[0])


def test_field_runs_the_check_and_accepts_an_empty_optional_value():
    field = CheckedFileField(required=False)
    assert field.clean(None) is None
    assert field.clean(upload("报告.pdf", PDF)).name == "报告.pdf"
    with pytest.raises(ValidationError):
        field.clean(upload("病毒.pdf", b"MZ" + b"\x00" * 40))
    assert "accept" in field.widget.attrs
    assert "MB" in str(field.help_text)


def test_detect_format_reads_nothing_it_does_not_know():
    assert detect_format(b"") is None
    assert detect_format(b"GIF89a") is None


def test_display_name_drops_paths():
    assert display_name("C:\\Users\\x\\报告.pdf") == "报告.pdf"
    assert display_name("../../etc/passwd") == "passwd"
    assert len(display_name("长" * 300 + ".pdf")) <= 180


# --- zip bombs and hostile XML -----------------------------------------------------------------
@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = docx_bomb(300)
    assert len(data) < 1024 * 1024  # 300 MB of spaces shrink to some hundred KB
    return data


def _refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_upload(upload(name, content))
    return info.value


def test_docx_bomb_is_refused_quickly_without_inflating_it(bomb, english):
    error = within_bounds(lambda: _refusal("计划.docx", bomb))
    assert error.code == "archive"
    assert "expand" in error.messages[0]
    assert detect_format(bomb) is None  # the format detection refuses it on its own too


def test_total_uncompressed_size_and_ratio_come_from_settings(settings, english):
    # Hex text compresses about twice: only the total size can refuse it.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>',
        )
        archive.writestr("word/media/image1.bin", os.urandom(1024 * 1024).hex())
    data = buffer.getvalue()
    assert validate_upload(upload("计划.docx", data)) == "docx"
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    assert "expand to 2 MB" in _refusal("计划.docx", data).messages[0]
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 1
    assert "image1.bin expands" in _refusal("计划.docx", data).messages[0]


def test_manifest_is_read_only_up_to_a_bound():
    # Half a MB is too small for the ratio check; the main part is declared after it, so
    # finding it would need reading the whole part.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            "<Types>"
            + " " * (512 * 1024)
            + f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
    assert detect_format(buffer.getvalue()) is None
    assert _refusal("计划.docx", buffer.getvalue()).code == "content"


def test_manifest_declaring_entities_is_refused():
    """defusedxml refuses any entity declaration; expat alone would expand these within its
    own limits, and a substring search would have accepted the file."""
    error = within_bounds(lambda: _refusal("计划.docx", docx_with_entities()))
    assert error.code == "content"
