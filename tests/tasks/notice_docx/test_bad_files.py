"""Files that are no notice, or hostile: refused with a message, never a crash."""

import io
import random
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.uploads import OLE2_MAGIC
from tasks.notice_docx import DocxRefused, parse_notice
from tests.tasks.notice_docx.builders import (
    DOCM_MAIN,
    docx_bytes,
    handmade_docx,
    numbering_xml,
    p,
    seed_docx,
)

EMPTY_NUMBERING = numbering_xml({}, {})


def _refused(data: bytes, name: str = "notice.docx") -> str:
    with pytest.raises(DocxRefused) as refused:
        parse_notice(data, name)
    return str(refused.value)


def test_not_a_word_document():
    assert "not a Word document" in _refused(b"%PDF-1.4 not a notice", "notice.docx")
    assert "not a Word document" in _refused(seed_docx(), "notice.pdf")
    workbook = io.BytesIO()
    with zipfile.ZipFile(workbook, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert "not a Word document" in _refused(workbook.getvalue())


def test_macros_are_refused():
    assert "macros" in _refused(seed_docx(), "notice.docm")
    assert "macros" in _refused(handmade_docx(p("x"), EMPTY_NUMBERING, main_type=DOCM_MAIN))
    hidden = handmade_docx(p("x"), EMPTY_NUMBERING, extra={"word/vbaProject.bin": b"\0" * 64})
    assert "macros" in _refused(hidden)


def test_encrypted_and_old_word_files():
    encrypted = OLE2_MAGIC + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le")
    assert "password-protected" in _refused(encrypted)
    old = OLE2_MAGIC + b"\0" * 512 + "WordDocument".encode("utf-16-le")
    assert "old Word .doc" in _refused(old)


def test_corrupt_files():
    data = seed_docx()
    assert "damaged" in _refused(data[: len(data) // 2])
    assert "damaged" in _refused(handmade_docx("<w:p>not closed", EMPTY_NUMBERING))
    missing = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(missing, "w") as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info))
    assert "damaged" in _refused(missing.getvalue())


def test_zip_bomb_is_refused_by_its_directory():
    bomb = handmade_docx(p("x"), EMPTY_NUMBERING, extra={"word/media/a.bin": b"\0" * 5_000_000})
    assert "expands" in _refused(bomb)


def test_a_500_page_document_is_refused_with_default_limits():
    chance = random.Random(500)  # text that compresses like prose, not like a zip bomb
    body = "".join(
        p("".join(chr(chance.randint(0x4E00, 0x9FA5)) for _ in range(40))) for _ in range(15_000)
    )
    assert "too long" in _refused(handmade_docx(body, EMPTY_NUMBERING))


def test_limits_come_from_settings(settings):
    settings.NOTICE_DOCX_MAX_PARAGRAPHS = 10
    document = docx.Document()
    for n in range(11):
        document.add_paragraph(f"第{n}段")
    assert "more than 10 paragraphs" in _refused(docx_bytes(document))
    settings.NOTICE_DOCX_MAX_PARAGRAPHS = 1000
    settings.NOTICE_DOCX_MAX_CHARACTERS = 50
    assert "too long" in _refused(docx_bytes(document) and seed_docx())


def test_entities_are_not_expanded():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    data = handmade_docx(p("一、学习") + "<w:p><w:r><w:t>&c;</w:t></w:r></w:p>", EMPTY_NUMBERING)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    xml = parts["word/document.xml"].decode()
    parts["word/document.xml"] = (laughs + xml[xml.index("?>") + 2 :]).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    try:
        draft = parse_notice(out.getvalue(), "laughs.docx")
    except DocxRefused:
        return
    assert "哈" not in str(draft.as_dict())


_SEED = seed_docx()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), max_size=8))
def test_damaged_bytes_are_refused_or_read_never_crash(changes):
    data = bytearray(_SEED)
    for index, value in changes:
        data[index] = value
    try:
        parse_notice(bytes(data), "notice.docx")
    except DocxRefused as refused:
        assert str(refused)
