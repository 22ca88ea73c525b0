"""The one xlsx writer: renders exporters in the official layout, streaming.

Layout of every sheet (DESIGN §6), shared with the import templates:

    row 1  title, merged across all columns (黑体, bold, 16 pt, centred)
    row 2  填报单位：…  (left half)           填报日期：…  (right half)
    [block] one row per header field of a form (``Exporter.header_fields()``): the label
           (bold, grey) over the first columns, the value merged over the rest; bordered,
           wrapped, each row tall enough for its text
    row 3  header: bold, bordered, grey fill, wrapped, centred; repeated on every printed page
           (row 3 + the block's rows when the form has a header block)
    row 4… data: 宋体, bordered, wrapped; dates as real dates formatted yyyy-mm-dd
    [block] the footer fields (``Exporter.footer_fields()``), laid out like the header block

Printing: A4 landscape, fit to one page wide; panes frozen below the header (not when a
header block is present: a frozen area taller than the window would hide the data).

Speed: the workbook is write-only (rows stream to a temporary file, memory stays flat). Styles
are built once per workbook as openpyxl ``StyleArray`` templates and copied into each cell, so
no Font/Border object is created or hashed per cell. Cells are handed to the sheet pre-built;
see ``_PrebuiltRowSheet`` for why that needs a small subclass.

Formula injection: a text value starting with ``=``, ``+``, ``-``, ``@``, tab or CR is stored
as a plain string cell (``t="inlineStr"``, never ``<f>``) with the ``quotePrefix`` style flag.
The text reads back unchanged (openpyxl returns the same ``str``), Excel and LibreOffice show it
as text and do not evaluate it, and the quote prefix keeps it text even when a user edits the
cell and presses Enter. No visible apostrophe is added to the data.
"""

from __future__ import annotations

import datetime
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from portal.exporters import CHOICE, DATE, INT, Column, Exporter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TITLE_ROW = 1
INFO_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

BODY_FONT_NAME = "宋体"  # SimSun: the usual body face of official forms
TITLE_FONT_NAME = "黑体"  # SimHei: the usual title face
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = "D9D9D9"
LABEL_FILL = "F2F2F2"
LABEL_MIN_WIDTH = 12  # a block label spans columns until it is at least this wide
LINE_HEIGHT = 15  # points per wrapped line of 11 pt text
MAX_ROW_HEIGHT = 409  # Excel's limit
MAX_SHEET_TITLE = 31
MAX_CELL_TEXT = 32767  # Excel refuses longer cell text
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
# First characters that make Excel/LibreOffice treat typed or pasted text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

Target = str | os.PathLike | IO[bytes]  # a path, or a binary file-like object


@dataclass(frozen=True)
class Layout:
    """Where the table of one sheet starts: after the title, info row and header block."""

    header_row: int = HEADER_ROW
    first_data_row: int = FIRST_DATA_ROW


def layout_of(exporter: Exporter, header_pairs: Sequence | None = None) -> Layout:
    """The table position of ``exporter``'s sheet (one block row per header field)."""
    if header_pairs is None:
        header_pairs = exporter.header_fields()
    block = len(header_pairs)
    return Layout(HEADER_ROW + block, FIRST_DATA_ROW + block)


def label_span(columns: Sequence[Column]) -> int:
    """How many leading columns a block label covers; the value takes the rest."""
    if len(columns) < 2:
        return 1
    width = 0.0
    for span, col in enumerate(columns[:-1], 1):
        width += col.width
        if width >= LABEL_MIN_WIDTH:
            return span
    return len(columns) - 1


def _text_height(text: str, width: float) -> float:
    """Row height for ``text`` wrapped in a cell ``width`` characters wide (CJK counts 2)."""
    lines = 0
    for line in text.split("\n"):
        units = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line)
        lines += max(1, math.ceil(units / max(width - 1, 1)))
    return min(max(20, LINE_HEIGHT * lines + 5), MAX_ROW_HEIGHT)


class _PrebuiltRowSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are lists of ready ``Cell`` objects (or ``None``).

    The stock ``append`` accepts cells only through a ``ValueError`` fallback per cell (it first
    tries to store the Cell as a value and formats an error message), which costs more than
    writing the cell. Our writer always passes cells, so they are placed directly.
    """

    def _values_to_row(self, values, row_idx):
        for col_idx, cell in enumerate(values, 1):
            if cell is None:
                continue
            cell.row = row_idx
            cell.column = col_idx
            yield cell


class _StyledCell(Cell):
    """A cell whose workbook style index is fixed when it is made.

    The slot ``style_id`` shadows openpyxl's property of the same name, which would otherwise
    hash the cell's style array into the workbook's style list once per cell while saving.
    The style array itself is shared between cells (nothing mutates it after creation).
    """

    __slots__ = ("style_id",)


class _Style:
    """A style template: its array and its index in the workbook's cell styles."""

    __slots__ = ("array", "sid")

    def __init__(self, ws: WriteOnlyWorksheet, *, quote_prefix=False, **attrs):
        cell = Cell(ws, row=1, column=1)
        for name, value in attrs.items():
            setattr(cell, name, value)
        if quote_prefix:
            cell.quotePrefix = True
        self.array = cell._style
        self.sid = ws.parent._cell_styles.add(self.array)


class _Styles:
    """Style templates of one workbook sheet, built once and shared by its cells."""

    def __init__(self, ws: WriteOnlyWorksheet):
        thin = Side(style="thin", color="000000")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body_font = Font(name=BODY_FONT_NAME, size=11)
        wrap = Alignment(wrap_text=True, vertical="center")
        centred = Alignment(horizontal="center", vertical="center")

        self.title = _Style(
            ws, font=Font(name=TITLE_FONT_NAME, size=16, bold=True), alignment=centred
        )
        self.info_left = _Style(
            ws, font=body_font, alignment=Alignment(horizontal="left", vertical="center")
        )
        self.info_right = _Style(
            ws, font=body_font, alignment=Alignment(horizontal="right", vertical="center")
        )
        self.header = _Style(
            ws,
            font=Font(name=BODY_FONT_NAME, size=11, bold=True),
            border=border,
            fill=PatternFill(fill_type="solid", start_color=HEADER_FILL, end_color=HEADER_FILL),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        self.label = _Style(
            ws,
            font=Font(name=BODY_FONT_NAME, size=11, bold=True),
            border=border,
            fill=PatternFill(fill_type="solid", start_color=LABEL_FILL, end_color=LABEL_FILL),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        self.text = _Style(ws, font=body_font, border=border, alignment=wrap)
        self.quoted = _Style(ws, font=body_font, border=border, alignment=wrap, quote_prefix=True)
        self.number = _Style(
            ws,
            font=body_font,
            border=border,
            alignment=Alignment(horizontal="right", vertical="center"),
        )
        self.date = _Style(
            ws, font=body_font, border=border, alignment=centred, number_format=DATE_FORMAT
        )
        self.datetime = _Style(
            ws, font=body_font, border=border, alignment=centred, number_format=DATETIME_FORMAT
        )


def _styled(ws, value, style: _Style) -> _StyledCell:
    cell = _StyledCell(ws, 1, 1, value)
    cell._style = style.array
    cell.style_id = style.sid
    return cell


class _CellFactory:
    """Turns plain Python values into styled cells; the hot path of every export."""

    def __init__(self, ws: WriteOnlyWorksheet, styles: _Styles):
        self.ws = ws
        self.styles = styles

    def make(self, value, style: _Style) -> _StyledCell:
        ws, styles = self.ws, self.styles
        kind = type(value)
        if kind is str:
            if not value:
                return _styled(ws, None, style)
            if len(value) > MAX_CELL_TEXT:
                value = value[:MAX_CELL_TEXT]
            try:
                cell = _styled(ws, value, style)
            except IllegalCharacterError:
                # Control characters make the file unreadable; they carry no meaning here.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = _styled(ws, value or None, style)
            if value and value[0] in FORMULA_TRIGGERS:
                cell.data_type = "s"
                cell._style = styles.quoted.array
                cell.style_id = styles.quoted.sid
            return cell
        if kind is datetime.date:
            return _styled(ws, value, styles.date)
        if kind is datetime.datetime:
            if value.tzinfo is not None:
                # Excel has no time zones: show the local wall-clock time of the portal.
                value = timezone.localtime(value).replace(tzinfo=None)
            if style is styles.date:
                return _styled(ws, value.date(), styles.date)
            return _styled(ws, value, styles.datetime)
        if value is None or kind is int or kind is float or kind is bool:
            return _styled(ws, value, style)
        try:
            return _styled(ws, value, style)  # Decimal, time, …
        except (ValueError, TypeError):
            # Model instances, UUIDs, lazy translations: write their text, sanitised as text.
            return self.make(str(value), style)


def _sheet_title(exporter: Exporter, taken: set[str]) -> str:
    base = str(exporter.sheet_title or exporter.title or exporter.identifier or "Sheet")
    base = base.translate(_SHEET_TITLE_FORBIDDEN).strip("'") or "Sheet"
    title = base[:MAX_SHEET_TITLE]
    n = 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _setup_sheet(ws: WriteOnlyWorksheet, exporter: Exporter, layout: Layout) -> None:
    """Everything that must be set before the first row is streamed."""
    ncols = max(len(exporter.columns), 1)
    last = get_column_letter(ncols)
    for idx, col in enumerate(exporter.columns, 1):
        ws.column_dimensions[get_column_letter(idx)].width = col.width
    ws.row_dimensions[TITLE_ROW].height = 32
    ws.row_dimensions[INFO_ROW].height = 20
    ws.row_dimensions[layout.header_row].height = 30

    ws.merged_cells.add(CellRange(f"A{TITLE_ROW}:{last}{TITLE_ROW}"))
    if ncols >= 2:
        split = ncols // 2
        if split > 1:
            ws.merged_cells.add(CellRange(f"A{INFO_ROW}:{get_column_letter(split)}{INFO_ROW}"))
        if ncols - split > 1:
            ws.merged_cells.add(
                CellRange(f"{get_column_letter(split + 1)}{INFO_ROW}:{last}{INFO_ROW}")
            )

    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if layout.header_row == HEADER_ROW:
        ws.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
        ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    else:
        # With a header block only the table header repeats: the block is printed once.
        ws.print_title_rows = f"{layout.header_row}:{layout.header_row}"


def _add_choice_lists(
    ws: WriteOnlyWorksheet, exporter: Exporter, first_row: int, last_row: int
) -> None:
    """Drop-down lists on choice columns, so a filled template carries only valid labels.

    Excel keeps an inline list formula to 255 characters and splits on commas, so longer or
    comma-bearing label sets get no drop-down (the importer still checks every value).
    Validations are written when the sheet closes, so they can be added after the rows.
    """
    for idx, col in enumerate(exporter.columns, 1):
        if col.kind != CHOICE:
            continue
        labels = [str(label) for _value, label in col.choices]
        formula = '"' + ",".join(labels) + '"'
        if len(formula) > 255 or any("," in lb or '"' in lb for lb in labels):
            continue
        letter = get_column_letter(idx)
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            sqref=f"{letter}{first_row}:{letter}{last_row}",
        )
        ws.data_validations.append(validation)


def _info_texts(exporter: Exporter) -> tuple[str, str]:
    filled_on = exporter.filled_on
    date_text = filled_on.isoformat() if filled_on else ""
    return (
        _("Reporting unit: %(unit)s") % {"unit": exporter.unit_name or ""},
        _("Date filled: %(date)s") % {"date": date_text},
    )


def _write_block(ws, factory: _CellFactory, columns, pairs, first_row: int) -> None:
    """Label/value rows: label over the first columns, the value merged over the rest."""
    styles, make = factory.styles, factory.make
    ncols = max(len(columns), 1)
    span = label_span(columns)
    value_width = sum(col.width for col in columns[span:]) or 30
    label_width = sum(col.width for col in columns[:span]) or 10
    for offset, (label, value) in enumerate(pairs):
        row_idx = first_row + offset
        label_text = str(label)
        if ncols == 1:
            ws.row_dimensions[row_idx].height = _text_height(f"{label_text}：{value}", value_width)
            ws.append([make(f"{label_text}：{'' if value is None else value}", styles.text)])
            continue
        value_text = "" if value is None else str(value)
        ws.row_dimensions[row_idx].height = max(
            _text_height(value_text, value_width), _text_height(label_text, label_width)
        )
        cells = [make(label_text, styles.label)]
        cells += [_styled(ws, None, styles.label) for _i in range(span - 1)]
        cells.append(make(value, styles.text))
        cells += [_styled(ws, None, styles.text) for _i in range(ncols - span - 1)]
        ws.append(cells)
        if span > 1:
            ws.merged_cells.add(CellRange(f"A{row_idx}:{get_column_letter(span)}{row_idx}"))
        if ncols - span > 1:
            ws.merged_cells.add(
                CellRange(
                    f"{get_column_letter(span + 1)}{row_idx}:{get_column_letter(ncols)}{row_idx}"
                )
            )


def _write_sheet(wb: Workbook, exporter: Exporter, taken: set[str], blank_rows: int) -> None:
    ws = _PrebuiltRowSheet(parent=wb, title=_sheet_title(exporter, taken))
    wb._add_sheet(ws)
    header_pairs = list(exporter.header_fields())
    layout = layout_of(exporter, header_pairs)
    _setup_sheet(ws, exporter, layout)
    styles = _Styles(ws)
    factory = _CellFactory(ws, styles)
    make = factory.make
    columns = exporter.columns
    ncols = max(len(columns), 1)

    # Title and info rows: merged areas still get their cells so borders/fonts apply.
    ws.append([make(str(exporter.title), styles.title)] + [None] * (ncols - 1))
    unit_text, date_text = _info_texts(exporter)
    if ncols == 1:
        ws.append([make(f"{unit_text}    {date_text}", styles.info_left)])
    else:
        split = ncols // 2
        info = [None] * ncols
        info[0] = make(unit_text, styles.info_left)
        info[split] = make(date_text, styles.info_right)
        ws.append(info)
    if header_pairs:
        _write_block(ws, factory, columns, header_pairs, INFO_ROW + 1)
    ws.append([make(str(col.header), styles.header) for col in columns])
    next_row = layout.first_data_row

    body_styles = [
        styles.date if col.kind == DATE else styles.number if col.kind == INT else styles.text
        for col in columns
    ]
    for row in exporter.display_rows():
        if len(row) > ncols:
            raise ValueError(
                f"{type(exporter).__name__} yielded {len(row)} values for {ncols} columns"
            )
        cells = [make(value, style) for value, style in zip(row, body_styles, strict=False)]
        if len(cells) < ncols:
            # Short rows keep their borders to the last column.
            cells.extend(_styled(ws, None, st) for st in body_styles[len(cells) :])
        ws.append(cells)
        next_row += 1
    for _i in range(blank_rows):
        ws.append([_styled(ws, None, st) for st in body_styles])
        next_row += 1
    footer_pairs = list(exporter.footer_fields())
    if footer_pairs:
        _write_block(ws, factory, columns, footer_pairs, next_row)
        _add_choice_lists(
            ws, exporter, layout.first_data_row, max(next_row - 1, layout.first_data_row)
        )
    else:
        _add_choice_lists(ws, exporter, layout.first_data_row, 1048576)


def _discard(wb: Workbook) -> None:
    """Close and delete the sheets' temporary files after a failed export (e.g. a query error)."""
    for ws in wb.worksheets:
        try:
            ws.close()
            ws._writer.cleanup()
        except Exception:  # best effort: the original error is what matters
            pass


def write_xlsx(
    exporters: Exporter | Iterable[Exporter], target: Target | None = None, *, blank_rows: int = 0
) -> bytes | None:
    """Render one exporter, or several stacked as one sheet each, into an xlsx workbook.

    Without ``target`` the file is returned as bytes; otherwise it is written to ``target``
    (a path or a binary file-like object) and ``None`` is returned. ``blank_rows`` appends
    empty bordered rows (used by the blank import templates).
    """
    if isinstance(exporters, Exporter):
        exporters = [exporters]
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    try:
        for exporter in exporters:
            _write_sheet(wb, exporter, taken, blank_rows)
    except BaseException:
        _discard(wb)
        raise
    if not wb.worksheets:
        raise ValueError("write_xlsx needs at least one exporter")
    if target is None:
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
            wb.save(buffer)
            buffer.seek(0)
            return buffer.read()
    wb.save(target)
    return None
