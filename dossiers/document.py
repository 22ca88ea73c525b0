"""The Word layout of the dossier: A4, 公文-style fonts, page numbers, plain bordered tables.

Fonts are named twice, as Word does: the Latin name (``w:ascii``/``w:hAnsi``, python-docx's
``font.name``) and the East Asian name (``w:eastAsia`` on ``w:rFonts``, which python-docx has
no property for), so Word and LibreOffice both pick a Chinese font for the Chinese text:
黑体 (SimHei) for headings, 仿宋 (FangSong) for the body, 宋体 (SimSun) for tables.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import formats
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HEADING_FONT = ("SimHei", "黑体")
BODY_FONT = ("FangSong", "仿宋")
TABLE_FONT = ("SimSun", "宋体")
EMPTY = "—"


def set_font(target, fonts: tuple[str, str], size: float | None = None, bold: bool | None = None):
    """Name the Latin and the East Asian font of a style or a run."""
    latin, east_asian = fonts
    target.font.name = latin
    rpr = target.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size is not None:
        target.font.size = Pt(size)
    if bold is not None:
        target.font.bold = bold


def text_of(value: Any) -> str:
    """A cell's text: dates in the active language's format, nothing as a dash."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


class DossierDocument:
    """A python-docx document with the few building blocks the sections use."""

    def __init__(self) -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        # The margins of the national standard for official documents (GB/T 9704).
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        self._styles()
        self._page_numbers(section)

    def _styles(self) -> None:
        styles = self.doc.styles
        set_font(styles["Normal"], BODY_FONT, 12)
        styles["Normal"].paragraph_format.space_after = Pt(4)
        for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 14), ("Heading 3", 12)):
            style = styles[name]
            set_font(style, HEADING_FONT, size, bold=False)
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.italic = False
            style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
            style.paragraph_format.space_after = Pt(6)
        set_font(styles["Table Grid"], TABLE_FONT, 10.5)

    def _page_numbers(self, section) -> None:
        """A centred "— N —" in the footer: a PAGE field, filled in by Word or LibreOffice."""
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(paragraph.add_run("— "), TABLE_FONT, 10.5)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        paragraph._p.append(field)
        set_font(paragraph.add_run(" —"), TABLE_FONT, 10.5)

    # --- building blocks ------------------------------------------------------------------
    def title(self, text: str) -> None:
        paragraph = self.doc.add_paragraph(text, style="Title")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_heading(text, level=level)

    def paragraph(self, text: str = "", *, center: bool = False, size: float | None = None):
        paragraph = self.doc.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        if size:
            run.font.size = Pt(size)
        return paragraph

    def lines(self, text: str) -> None:
        """Multi-line user text as paragraphs."""
        for line in (text or "").splitlines() or [""]:
            if line.strip():
                self.paragraph(line.strip())

    def none(self, text: str) -> None:
        """What is shown where a part has no records (the inspector sees it was looked at)."""
        run = self.doc.add_paragraph().add_run(text)
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(
        self,
        headers: Sequence[Any],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float] | None = None,
    ) -> None:
        """A bordered table whose header row repeats on every page it runs over."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header._tr.get_or_add_trPr().append(repeat)
        for cell, text in zip(header.cells, headers, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            set_font(run, HEADING_FONT, 10.5)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=False):
                cell.text = text_of(value)
        if widths:
            self._widths(table, widths)
        self.doc.add_paragraph()

    @staticmethod
    def _widths(table, widths: Sequence[float]) -> None:
        """Fixed column widths (the grid for LibreOffice, each cell for Word)."""
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=False):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Mm(width)

    def pairs(self, items: Iterable[tuple[Any, Any]]) -> None:
        """A two-column table of labels and values."""
        self.table_without_header([(str(label), value) for label, value in items], (40, 116))

    def table_without_header(self, rows: Sequence[Sequence[Any]], widths: Sequence[float]):
        table = self.doc.add_table(rows=0, cols=len(widths))
        table.style = self.doc.styles["Table Grid"]
        for values in rows:
            cells = table.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, values, strict=False)):
                if index == 0:
                    set_font(cell.paragraphs[0].add_run(text_of(value)), HEADING_FONT, 10.5)
                else:
                    cell.text = text_of(value)
        self._widths(table, widths)
        self.doc.add_paragraph()

    def save(self, target) -> None:
        self.doc.save(target)
