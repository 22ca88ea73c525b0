"""The one xlsx writer: renders exporters in the official layout, streaming.

Where each row goes and what it looks like (the official layout, print setup, formats):
``portal.xlsx_layout``.

Speed and memory: XlsxWriter in ``constant_memory`` mode, through its public API. Each row is
flushed to a temporary file as soon as the next one starts, so memory stays flat whatever the
row count; this is why every sheet is written strictly top to bottom and a merged area is
merged while its row is the current one. Formats are built once per workbook, and every value
is written by the typed call for its type (``write_string``, ``write_number``, …).

Formula injection: ``strings_to_formulas`` is off, so no text ever becomes a formula; text
starting with ``=``, ``+``, ``-``, ``@``, tab or a line break is moreover stored with the
``quotePrefix`` format flag, so it stays text even when a user edits the cell and presses
Enter. The text reads back unchanged and no visible apostrophe is added to the data.
"""

from __future__ import annotations

import datetime
import decimal
import numbers
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from portal.exporters import DATE, INT, MONEY, Column, Exporter
from portal.xlsx_layout import (
    DATE_FORMAT,
    INFO_ROW,
    TITLE_FONT_SIZE,
    TITLE_ROW,
    Formats,
    Layout,
    add_choice_lists,
    column_groups,
    label_span,
    layout_of,
    lines_height,
    one_line_chars,
    setup_sheet,
    text_height,
    text_lines,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MAX_SHEET_TITLE = 31
MAX_CELL_TEXT = 32767  # Excel refuses longer cell text
LAST_ROW = 1048576  # Excel's last row: an open-ended drop-down reaches it
PROGRESS_EVERY = 500  # data rows between two calls of a progress callback
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
# First characters that make Excel/LibreOffice treat typed or pasted text as a formula. A
# carriage return is stored as a line feed (see ``_clean``), so both line breaks count.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_TRIGGER_CHARS = "".join(FORMULA_TRIGGERS)
# Control characters carry no meaning in a cell and Excel shows them as _xHHHH_ escapes: they
# are dropped. A lone or CRLF carriage return becomes the line feed Excel breaks lines on.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UNWRITABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r]")

Target = str | os.PathLike | IO[bytes]  # a path, or a binary file-like object
#: ``progress(sheet_index, rows_written, finished)``: called every ``progress_every`` data rows
#: of a sheet, and once with ``finished=True`` after the sheet's last data row.
Progress = Callable[[int, int, bool], None]

WORKBOOK_OPTIONS = {
    "constant_memory": True,
    # Text is data: never a formula, a link or a number because of what it looks like.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
    "default_date_format": DATE_FORMAT,
}


def _clean(text: str) -> str:
    """``text`` without control characters, its carriage returns as line feeds, Excel-sized."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    return text[:MAX_CELL_TEXT]


class _SheetWriter:
    """Writes the cells of one sheet, each value by the typed call for its type.

    Rows and columns are 0-based here, as in XlsxWriter's API; the module's ``*_ROW``
    constants are 1-based, as a person counts rows.
    """

    def __init__(self, ws: Worksheet, formats: Formats):
        self.ws = ws
        self.formats = formats

    def value(self, row: int, col: int, value: Any, fmt: Format) -> None:
        """Write any value: text sanitised, dates as dates in local time, numbers as numbers."""
        ws, formats = self.ws, self.formats
        if isinstance(value, str):
            self.text(row, col, value, fmt)
        elif value is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                # Excel has no time zones: show the local wall-clock time of the portal.
                value = timezone.localtime(value).replace(tzinfo=None)
            if fmt is formats.date:
                ws.write_datetime(row, col, datetime.date(value.year, value.month, value.day), fmt)
            else:
                ws.write_datetime(row, col, value, formats.datetime)
        elif isinstance(value, datetime.date):
            ws.write_datetime(row, col, value, formats.date)
        elif isinstance(value, datetime.time):
            ws.write_datetime(row, col, value.replace(tzinfo=None), formats.time)
        elif isinstance(value, numbers.Real | decimal.Decimal):
            ws.write_number(row, col, float(value), fmt)
        else:
            # Model instances, UUIDs, lazy translations: write their text, sanitised as text.
            self.text(row, col, str(value), fmt)

    def text(self, row: int, col: int, value: str, fmt: Format) -> None:
        if not value.isprintable() and _UNWRITABLE_RE.search(value):
            value = _clean(value)
        if not value:
            self.ws.write_blank(row, col, None, fmt)
            return
        if value[0] in _TRIGGER_CHARS:
            fmt = self.formats.quoted(fmt)
        self.ws.write_string(row, col, value, fmt)

    def merged(self, row: int, first_col: int, last_col: int, value: Any, fmt: Format) -> None:
        """``value`` over columns ``first_col``…``last_col`` of the current row, merged.

        ``merge_range`` writes its value untyped, so the area is merged blank and its first
        cell then written by ``value()``; constant_memory keeps the current row open for this.
        """
        if last_col > first_col:
            self.ws.merge_range(row, first_col, row, last_col, None, fmt)
        self.value(row, first_col, value, fmt)

    def rows(
        self,
        rows: Iterable[Sequence[Any]],
        first_row: int,
        col_formats: Sequence[Format],
        widths: Sequence[float],
        report: Callable[[int], None] | None,
        every: int,
        source: str,
    ) -> int:
        """Write the data rows from ``first_row`` on; returns how many were written.

        The hot path of every export: common types are dispatched inline, anything else goes
        through ``value()``. Short rows are padded with bordered blanks to the last column.
        A row holding text longer than one line of its column is made tall enough for it
        (text short enough to fit whatever its characters is not measured).
        """
        ws = self.ws
        write_string, write_number = ws.write_string, ws.write_number
        write_datetime, write_blank = ws.write_datetime, ws.write_blank
        date_format = self.formats.date
        value_of = self.value
        ncols = len(col_formats)
        fits = [one_line_chars(width) for width in widths]
        triggers = _TRIGGER_CHARS
        row_idx = first_row
        next_report = every if report is not None else -1
        for row in rows:
            if len(row) > ncols:
                raise ValueError(f"{source} yielded {len(row)} values for {ncols} columns")
            col = 0
            tall = 0.0
            for value in row:
                kind = type(value)
                if kind is str:
                    if len(value) > fits[col] or "\n" in value:
                        lines = text_lines(value, widths[col])
                        if lines > 1:
                            tall = max(tall, lines_height(lines))
                    if value and value.isprintable() and value[0] not in triggers:
                        write_string(row_idx, col, value, col_formats[col])
                    else:
                        value_of(row_idx, col, value, col_formats[col])
                elif kind is int or kind is float:
                    write_number(row_idx, col, value, col_formats[col])
                elif kind is datetime.date:
                    write_datetime(row_idx, col, value, date_format)
                elif value is None:
                    write_blank(row_idx, col, None, col_formats[col])
                else:
                    value_of(row_idx, col, value, col_formats[col])
                col += 1
            while col < ncols:
                write_blank(row_idx, col, None, col_formats[col])
                col += 1
            if tall:
                ws.set_row(row_idx, tall)
            row_idx += 1
            if row_idx - first_row == next_report and report is not None:
                report(next_report)
                next_report += every
        return row_idx - first_row


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _sheet_title(exporter: Exporter, taken: set[str]) -> str:
    """A sheet name Excel accepts: no forbidden characters, 31 UTF-16 units, unique."""
    base = str(exporter.sheet_title or exporter.title or exporter.identifier or "Sheet")
    base = base.translate(_SHEET_TITLE_FORBIDDEN).strip("'") or "Sheet"
    suffix, n = "", 2
    while True:
        title = base
        while _utf16_len(title + suffix) > MAX_SHEET_TITLE:
            title = title[:-1]
        title = title.rstrip("'") + suffix
        if title.lower() not in taken:
            taken.add(title.lower())
            return title
        suffix = f" ({n})"
        n += 1


def _info_texts(exporter: Exporter) -> tuple[str, str]:
    filled_on = exporter.filled_on
    date_text = filled_on.isoformat() if filled_on else ""
    return (
        _("Reporting unit: %(unit)s") % {"unit": exporter.unit_name or ""},
        _("Date filled: %(date)s") % {"date": date_text},
    )


def _info_split(columns: Sequence[Column], unit_text: str, date_text: str) -> int:
    """How many columns the 填报单位 text takes; 填报日期 takes the rest (right-aligned).

    The first split where both fit one line; else the widest unit part that leaves the date
    one line (the unit then wraps, its row made tall enough).
    """
    widths = [col.width for col in columns]
    best = 1
    for split in range(1, len(columns)):
        if text_lines(date_text, sum(widths[split:])) > 1:
            break
        best = split
        if text_lines(unit_text, sum(widths[:split])) == 1:
            return split
    return best


def _write_block(out: _SheetWriter, columns: Sequence[Column], pairs, first_row: int) -> None:
    """Label/value rows from 0-based ``first_row``: the label over the first columns, the value
    merged over the rest."""
    ws, formats = out.ws, out.formats
    ncols = max(len(columns), 1)
    span = label_span(columns)
    value_width = sum(col.width for col in columns[span:]) or 30
    label_width = sum(col.width for col in columns[:span]) or 10
    for offset, (label, value) in enumerate(pairs):
        row = first_row + offset
        label_text = str(label)
        if ncols == 1:
            text = f"{label_text}：{'' if value is None else value}"
            ws.set_row(row, text_height(text, value_width))
            out.value(row, 0, text, formats.text)
            continue
        value_text = "" if value is None else str(value)
        ws.set_row(
            row,
            max(
                text_height(value_text, value_width),
                text_height(label_text, label_width, bold=True),
            ),
        )
        out.merged(row, 0, span - 1, label_text, formats.label)
        out.merged(row, span, ncols - 1, value, formats.text)


def _write_header(out: _SheetWriter, columns: Sequence[Column], layout: Layout) -> None:
    """The table header: one row, or two when columns are grouped (the group's label merged
    over its columns, the other columns' labels merged down over both rows)."""
    ws, formats = out.ws, out.formats
    top = layout.header_row - 1
    if layout.last_header_row == layout.header_row:
        ws.set_row(top, max(text_height(str(c.header), c.width, bold=True) for c in columns))
        for idx, col in enumerate(columns):
            out.value(top, idx, str(col.header), formats.header)
        return
    runs = column_groups(columns)
    lower = max(
        (text_height(str(c.header), c.width, bold=True) for c in columns if c.group is not None),
        default=0,
    )
    upper = 0.0
    for first, last, group in runs:
        if group is None:
            col = columns[first]
            upper = max(upper, text_height(str(col.header), col.width, bold=True) - lower)
        else:
            width = sum(c.width for c in columns[first : last + 1])
            upper = max(upper, text_height(str(group), width, bold=True))
    ws.set_row(top, max(upper, text_height("", 10)))
    # A lone column's label stands in the upper row over a blank lower cell, with no border
    # between them: it reads as one cell. (A real merge down is impossible here: rows are
    # written top to bottom, and XlsxWriter merges across rows only while the first is open.)
    for first, last, group in runs:
        if group is None:
            out.value(top, first, str(columns[first].header), formats.header_top)
        else:
            out.merged(top, first, last, str(group), formats.header)
    ws.set_row(top + 1, lower)
    for idx, col in enumerate(columns):
        if col.group is not None:
            out.value(top + 1, idx, str(col.header), formats.header)
        else:
            ws.write_blank(top + 1, idx, None, formats.header_bottom)


def _write_heading(
    out: _SheetWriter, exporter: Exporter, header_pairs: Sequence, layout: Layout
) -> None:
    """The rows above the data: title, info row, header block and table header."""
    ws, formats = out.ws, out.formats
    columns = exporter.columns
    ncols = max(len(columns), 1)
    total = sum(col.width for col in columns) or 30
    title = str(exporter.title)
    ws.set_row(TITLE_ROW - 1, max(32, text_height(title, total, TITLE_FONT_SIZE, bold=True)))
    out.merged(TITLE_ROW - 1, 0, ncols - 1, title, formats.title)
    unit_text, date_text = _info_texts(exporter)
    if ncols == 1:
        text = f"{unit_text}    {date_text}"
        ws.set_row(INFO_ROW - 1, text_height(text, total))
        out.value(INFO_ROW - 1, 0, text, formats.info_left)
    else:
        split = _info_split(columns, unit_text, date_text)
        left = sum(col.width for col in columns[:split])
        right = sum(col.width for col in columns[split:])
        ws.set_row(INFO_ROW - 1, max(text_height(unit_text, left), text_height(date_text, right)))
        out.merged(INFO_ROW - 1, 0, split - 1, unit_text, formats.info_left)
        out.merged(INFO_ROW - 1, split, ncols - 1, date_text, formats.info_right)
    if header_pairs:
        _write_block(out, columns, header_pairs, INFO_ROW)
    if columns:
        _write_header(out, columns, layout)


def _write_sheet(
    wb: xlsxwriter.Workbook,
    formats: Formats,
    exporter: Exporter,
    taken: set[str],
    blank_rows: int,
    index: int,
    progress: Progress | None,
    every: int,
) -> None:
    ws = wb.add_worksheet(_sheet_title(exporter, taken))
    header_pairs = list(exporter.header_fields())
    layout = layout_of(exporter, header_pairs)
    setup_sheet(ws, exporter, layout, _("Page &P of &N"))
    out = _SheetWriter(ws, formats)
    columns = exporter.columns
    # Rows strictly top to bottom (constant_memory): each row's height, then its cells.
    _write_heading(out, exporter, header_pairs, layout)

    by_kind = {DATE: formats.date, INT: formats.number, MONEY: formats.money}
    col_formats = [by_kind.get(col.kind, formats.text) for col in columns] or [formats.text]
    first_idx = layout.first_data_row - 1
    report = None
    if progress is not None:

        def report(rows: int) -> None:
            progress(index, rows, False)

    widths = [col.width for col in columns] or [30]
    written = out.rows(
        exporter.display_rows(),
        first_idx,
        col_formats,
        widths,
        report,
        every,
        type(exporter).__name__,
    )
    if progress is not None:
        progress(index, written, True)
    next_idx = first_idx + written
    for _i in range(blank_rows):
        for idx, fmt in enumerate(col_formats):
            ws.write_blank(next_idx, idx, None, fmt)
        next_idx += 1
    footer_pairs = list(exporter.footer_fields())
    if footer_pairs:
        _write_block(out, columns, footer_pairs, next_idx)
        add_choice_lists(ws, exporter, layout.first_data_row, max(next_idx, first_idx + 1))
    else:
        add_choice_lists(ws, exporter, layout.first_data_row, LAST_ROW)


def _write_workbook(
    exporters: Iterable[Exporter],
    target: str | IO[bytes],
    tmpdir: str,
    blank_rows: int,
    progress: Progress | None,
    every: int,
) -> None:
    wb = xlsxwriter.Workbook(target, {**WORKBOOK_OPTIONS, "tmpdir": tmpdir})
    formats = Formats(wb)
    taken: set[str] = set()
    for index, exporter in enumerate(exporters):
        _write_sheet(wb, formats, exporter, taken, blank_rows, index, progress, every)
    if not taken:
        raise ValueError("write_xlsx needs at least one exporter")
    wb.close()


def write_xlsx(
    exporters: Exporter | Iterable[Exporter],
    target: Target | None = None,
    *,
    blank_rows: int = 0,
    progress: Progress | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> bytes | None:
    """Render one exporter, or several stacked as one sheet each, into an xlsx workbook.

    Without ``target`` the file is returned as bytes; otherwise it is written to ``target``
    (a path or a binary file-like object) and ``None`` is returned. ``blank_rows`` appends
    empty bordered rows (used by the blank import templates). ``progress`` is told how many
    data rows each sheet has written (see ``Progress``).

    Nothing reaches ``target`` unless the whole workbook was written: the rows wait in
    temporary files in a directory of this call's own, removed whatever happens.
    """
    if isinstance(exporters, Exporter):
        exporters = [exporters]
    if isinstance(target, str | os.PathLike):
        target = os.fspath(target)
    with tempfile.TemporaryDirectory(prefix="portal-xlsx-", ignore_cleanup_errors=True) as tmp:
        if target is not None:
            _write_workbook(exporters, target, tmp, blank_rows, progress, progress_every)
            return None
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
            _write_workbook(exporters, buffer, tmp, blank_rows, progress, progress_every)
            buffer.seek(0)
            return buffer.read()
