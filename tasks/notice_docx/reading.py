"""A .docx file → its body paragraphs in order, with the numbers Word displays.

The file comes from a user: it is checked by its bytes before python-docx opens it (the zip
directory by ``portal.archives``, as for every upload), every failure becomes ``DocxRefused``
with a message for the office, and the text read is bounded by settings.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

import docx
from django.conf import settings
from django.utils.translation import gettext as _
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from portal.archives import ZIP_MAGIC, ArchiveRefused, check_directory, declared_type
from portal.uploads import OLE2_MAGIC, OOXML_MAIN_TYPES, extension_of, max_upload_bytes
from tasks.notice_docx.numbering import Numbering

DOCX_TYPE = OOXML_MAIN_TYPES["docx"]
MACRO_TYPES = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_TEXT_TAGS = (qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr"), qn("w:noBreakHyphen"))
_HEADING_NAMES = {"heading", "标题"}


class DocxRefused(Exception):
    """The file cannot be read as a notice; ``str()`` is the message for the office."""


def max_paragraphs() -> int:
    return getattr(settings, "NOTICE_DOCX_MAX_PARAGRAPHS", 3000)


def max_characters() -> int:
    return getattr(settings, "NOTICE_DOCX_MAX_CHARACTERS", 200_000)


def max_part_bytes() -> int:
    # document.xml is parsed whole by python-docx: a notice of a few pages has some hundred KB.
    return getattr(settings, "NOTICE_DOCX_MAX_PART_BYTES", 20 * 1024 * 1024)


@dataclass
class Paragraph:
    text: str
    label: str = ""  # the number Word displays ("一、", "（一）", "1.") or "•"; "" when typed
    bullet: bool = False
    heading: int | None = None  # 1 for a "Heading 1"/"标题 1" style or outline level 0, …
    in_table: bool = False

    @property
    def full_text(self) -> str:
        return f"{self.label}{self.text}" if self.label else self.text


def _check_bytes(data: bytes, filename: str | None) -> None:
    if len(data) > max_upload_bytes():
        raise DocxRefused(
            _("The file is larger than %(limit)s MB.") % {"limit": max_upload_bytes() // 1048576}
        )
    ext = extension_of(filename) if filename else "docx"
    if ext in ("docm", "dotm"):
        raise DocxRefused(_("Word files with macros (.docm) are not accepted; save it as .docx."))
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocxRefused(
                _("The document is password-protected; remove the password and upload it again.")
            )
        raise DocxRefused(_("This is an old Word .doc file; save it as .docx and upload it again."))
    if ext != "docx" or not data.startswith(ZIP_MAGIC):
        raise DocxRefused(_("The file is not a Word document (.docx)."))


def _check_archive(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_directory(archive)
            names = archive.namelist()
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise DocxRefused(
                    _("Word files with macros (.docm) are not accepted; save it as .docx.")
                )
            main_type = declared_type(archive, (DOCX_TYPE, *MACRO_TYPES))
            if main_type in MACRO_TYPES:
                raise DocxRefused(
                    _("Word files with macros (.docm) are not accepted; save it as .docx.")
                )
            if main_type != DOCX_TYPE:
                raise DocxRefused(_("The file is not a Word document (.docx)."))
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")) and info.file_size > max_part_bytes():
                    raise DocxRefused(_("The document is too large to read as a notice."))
    except ArchiveRefused as refused:
        raise DocxRefused(str(refused)) from None
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        RuntimeError,
        ValueError,
        EOFError,
        NotImplementedError,
    ):
        raise DocxRefused(_("The file is damaged and cannot be read.")) from None


def _open(data: bytes):
    try:
        return docx.Document(io.BytesIO(data))
    except (
        PackageNotFoundError,
        etree.XMLSyntaxError,
        zipfile.BadZipFile,
        zlib.error,  # a damaged deflate stream
        KeyError,  # a part the relationships name is missing
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RuntimeError,
        EOFError,
        NotImplementedError,
    ):
        raise DocxRefused(_("The file is damaged and cannot be read.")) from None


def _numbering(document) -> Numbering:
    try:
        part = document.part.part_related_by(RT.NUMBERING)
    except KeyError:
        return Numbering()
    return Numbering(part.element)


def _num_pr(ppr) -> tuple[str | None, str | None]:
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None:
        return None, None
    num_id, ilvl = numpr.find(qn("w:numId")), numpr.find(qn("w:ilvl"))
    return (
        num_id.get(qn("w:val")) if num_id is not None else None,
        ilvl.get(qn("w:val")) if ilvl is not None else None,
    )


def _outline(ppr) -> int | None:
    outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    try:
        return int(outline.get(qn("w:val"))) + 1 if outline is not None else None
    except (TypeError, ValueError):
        return None


@dataclass
class _Style:
    num_id: str | None = None
    ilvl: str | None = None
    heading: int | None = None


def _styles(document) -> dict[str, _Style]:
    """Paragraph styles by id, with the numbering and heading level they pass on (basedOn)."""
    raw: dict[str, tuple[str | None, _Style]] = {}
    for style in document.styles.element.iterchildren(qn("w:style")):
        ppr = style.find(qn("w:pPr"))
        num_id, ilvl = _num_pr(ppr)
        heading = _outline(ppr)
        name_el = style.find(qn("w:name"))
        name = (name_el.get(qn("w:val")) or "") if name_el is not None else ""
        words = name.lower().split()
        if len(words) == 2 and words[0] in _HEADING_NAMES and words[1].isdigit():
            heading = int(words[1])
        based = style.find(qn("w:basedOn"))
        raw[style.get(qn("w:styleId")) or ""] = (
            based.get(qn("w:val")) if based is not None else None,
            _Style(num_id, ilvl, heading),
        )
    resolved: dict[str, _Style] = {}
    for style_id in raw:
        merged, seen, current = _Style(), set(), style_id
        while current in raw and current not in seen and len(seen) < 20:
            seen.add(current)
            parent, own = raw[current]
            merged.num_id = merged.num_id or own.num_id
            merged.ilvl = merged.ilvl or own.ilvl
            merged.heading = merged.heading or own.heading
            current = parent
        resolved[style_id] = merged
    return resolved


def _lines(p) -> list[str]:
    """The paragraph's text split at its line breaks; text of paragraphs nested in its runs
    (text boxes) and deleted text (w:delText) are left out."""
    lines, current = [], []
    for element in p.iter(*_TEXT_TAGS):
        if next(element.iterancestors(qn("w:p")), None) is not p:
            continue
        if element.tag == qn("w:t"):
            current.append(element.text or "")
        elif element.tag == qn("w:tab"):
            current.append("\t")
        elif element.tag == qn("w:noBreakHyphen"):
            current.append("-")
        else:
            lines.append("".join(current))
            current = []
    lines.append("".join(current))
    return [line.strip() for line in lines]


class _Reader:
    """Walks the body: paragraphs, tables row by row, content controls; counts numbers."""

    def __init__(self, document):
        self.numbering, self.styles = _numbering(document), _styles(document)
        self.limit_paragraphs, self.limit_chars = max_paragraphs(), max_characters()
        self.paragraphs: list[Paragraph] = []
        self.count = self.characters = 0

    def paragraph(self, p, in_table: bool) -> list[Paragraph]:
        """One paragraph, or one per line when it holds line breaks (a list typed with
        Shift+Enter is a list)."""
        ppr = p.find(qn("w:pPr"))
        style_el = ppr.find(qn("w:pStyle")) if ppr is not None else None
        style = self.styles.get(style_el.get(qn("w:val")) if style_el is not None else "", _Style())
        num_id, ilvl = _num_pr(ppr)
        num_id, ilvl = num_id or style.num_id, ilvl or style.ilvl
        lines = _lines(p)
        self._bound(lines)
        if not any(lines):
            return []
        label, bullet = "", False
        if num_id and num_id != "0":
            try:
                shown = self.numbering.next_label(num_id, int(ilvl or 0))
            except ValueError:
                shown = None
            if shown:
                label, bullet = shown
        heading = _outline(ppr) or style.heading
        return [
            Paragraph(
                text=line,
                label=label if index == 0 else "",
                bullet=bullet and index == 0,
                heading=heading if index == 0 else None,
                in_table=in_table,
            )
            for index, line in enumerate(lines)
            if line
        ]

    def row(self, tr, depth: int) -> list[Paragraph]:
        """A table row: one paragraph with its cells separated by tabs when each cell holds a
        single paragraph (a task list laid out as a table, a signature beside its date);
        otherwise every paragraph of its cells in order."""
        cells = [self.contents(tc, True, depth + 1) for tc in tr.iterchildren(qn("w:tc"))]
        filled = [cell for cell in cells if cell]
        if len(filled) < 2 or any(len(cell) > 1 for cell in filled):
            return [x for cell in cells for x in cell]
        first = filled[0][0]
        return [
            Paragraph(
                text="\t".join(cell[0].full_text for cell in filled)[len(first.label) :],
                label=first.label,
                bullet=first.bullet,
                in_table=True,
            )
        ]

    def contents(self, container, in_table: bool, depth: int = 0) -> list[Paragraph]:
        """The paragraphs of the body or a cell: its own, its tables' (row by row, nested
        tables too) and those inside content controls."""
        found: list[Paragraph] = []
        if depth > 20:  # tables nested deeper only serve a hostile file
            return found
        for child in container.iterchildren():
            if child.tag == qn("w:p"):
                found += self.paragraph(child, in_table)
            elif child.tag == qn("w:tbl"):
                for tr in child.iterchildren(qn("w:tr")):
                    found += self.row(tr, depth)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                found += self.contents(child, in_table, depth + 1)
            if not in_table and depth == 0:
                self.paragraphs += found
                found = []
        return found

    def _bound(self, lines: list[str]) -> None:
        # Counted as read, empty paragraphs too: a long file is refused before it is all read.
        self.count += 1
        self.characters += sum(len(line) for line in lines)
        if self.count > self.limit_paragraphs or self.characters > self.limit_chars:
            raise DocxRefused(
                _(
                    "The document is too long for a notice (more than %(paragraphs)s "
                    "paragraphs or %(characters)s characters)."
                )
                % {"paragraphs": self.limit_paragraphs, "characters": self.limit_chars}
            )


def read_paragraphs(data: bytes, filename: str | None = None) -> list[Paragraph]:
    """The body's paragraphs, tables' included, in document order; empty ones left out.
    Text boxes, headers and footers are not read: a notice's tasks are in its body."""
    _check_bytes(data, filename)
    _check_archive(data)
    document = _open(data)
    reader = _Reader(document)
    reader.contents(document.element.body, False)
    return reader.paragraphs
