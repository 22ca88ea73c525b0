"""Importing a filled-in template back: hostile-file checks, then row-by-row validation.

The flow a view follows: ``result = read_xlsx(spec, request.FILES["file"])``; show a preview
listing ``result.errors`` by row and column; save ``result.rows`` only when ``result.ok``
(nothing is saved when any row is wrong).

What is checked, in order, so a hostile file is refused before it is expanded (points 1–5 and
the row count of point 7 live in ``portal.xlsx_file_checks``):

1. size of the upload; an empty file;
2. the magic bytes (``PK\\x03\\x04``): PDFs, old ``.xls`` files and text renamed to ``.xlsx``
   are refused with a message naming what they look like;
3. the zip directory (no member is decompressed yet): number of members, total uncompressed
   size (``IMPORT_MAX_UNCOMPRESSED_MB``) and the compression ratio of each larger member
   (``UPLOAD_MAX_COMPRESSION_RATIO``), which is how a zip bomb shows itself. Python's zipfile
   never inflates a member past its declared size, so a forged directory cannot smuggle more
   data than these checks saw;
4. ``[Content_Types].xml`` declares a spreadsheet workbook (a renamed .docx is refused), read
   as a bounded stream with defusedxml (openpyxl, too, parses with defusedxml);
4a. the sheet's extent, streamed before openpyxl builds anything: the first value beyond the
   template's columns or beyond ``sheet_limits``' last row, and any merge reaching there, is
   refused naming the cell; everything after reads only up to those limits, so an empty
   formatted cell far away does not make the reader build the rows before it;
5. one sheet only: the template has one, and silently reading the first of several would
   ignore data the user believes was sent, so extra sheets are an error naming them;
6. the header row matches the spec's columns, in order (message: expected vs found). A form
   with a header block (label/value rows above the table) has its header further down: the
   spec knows the block's size, and when a user inserted or deleted a block row the header
   is searched for within the first ``HEADER_SEARCH_ROWS`` rows. The block's values (and the
   footer's, after the rows) are read by their labels into ``result.header`` /
   ``result.footer``, converted like cells; the data rows end where the footer begins;
7. no merged cells in the data area, no formulas (loaded with ``data_only=False``, so a
   formula is seen as such and never trusted for its cached value), at most ``max_rows``
   filled rows;
8. each cell by its column kind (``portal.xlsx_cells``): required, integer, date (real date
   cells, or text as 2022-10-31, 2022/10/31, 2022.10.31, 2022年10月31日, within the portal's
   date window of ``portal.validation``), choice (label → stored value).
   Control characters are refused. Text such as ``<script>`` is kept verbatim as plain text:
   templates escape it on output (never mark it safe).
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from portal.exporters import Column, Exporter
from portal.validation import model_errors
from portal.xlsx import write_xlsx
from portal.xlsx_cells import convert_cell
from portal.xlsx_file_checks import (
    MAX_UPLOAD_BYTES,
    MAX_ZIP_MEMBERS,
    Rejected,
    check_extent,
    check_zip,
    is_blank,
    load_sheet,
    open_upload,
    precheck,
)
from portal.xlsx_layout import HEADER_ROW, INFO_ROW

MAX_ROWS = 2000
TEMPLATE_BLANK_ROWS = 30
HEADER_SEARCH_ROWS = 60
# Blank rows a user may leave between or after the filled rows (on top of the header search
# and the footer) before a cell further down is refused as outside the template.
SPARE_ROWS = 500

ROW_KEY = "_row"  # each imported row dict carries its Excel row number under this key


@dataclass(frozen=True)
class ImportSpec:
    """What a template looks like: the same title and columns as its export."""

    title: Any
    columns: Sequence[Column]
    sheet_title: Any = ""
    header_columns: Sequence[Column] = ()
    footer_columns: Sequence[Column] = ()

    @classmethod
    def for_exporter(cls, exporter_cls: type[Exporter]) -> ImportSpec:
        return cls(
            exporter_cls.title,
            exporter_cls.columns,
            exporter_cls.sheet_title,
            tuple(exporter_cls.header_columns),
            tuple(exporter_cls.footer_columns),
        )

    @property
    def headers(self) -> list[str]:
        return [str(col.header) for col in self.columns]

    @property
    def header_row(self) -> int:
        """Where the writer puts the table header: one block row per header field."""
        return HEADER_ROW + len(self.header_columns)


@dataclass(frozen=True)
class RowError:
    """One problem: Excel row number and column header, or None for file-level problems."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


@dataclass
class ImportResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Values of the header / footer block by column key (only the labels found in the file).
    header: dict[str, Any] = field(default_factory=dict)
    footer: dict[str, Any] = field(default_factory=dict)
    # The Excel row of each header / footer value read, by column key (to name it in errors).
    field_rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _template_exporter(spec: ImportSpec) -> type[Exporter]:
    """An exporter of no rows laid out by ``spec`` (the layout is per class, as for every
    exporter)."""

    class TemplateExporter(Exporter):
        identifier = "portal.import_template"
        title = spec.title
        columns = spec.columns
        sheet_title = spec.sheet_title
        header_columns = spec.header_columns
        footer_columns = spec.footer_columns

        def rows(self):
            return iter(())

    return TemplateExporter


def template_workbook(
    spec: ImportSpec,
    target=None,
    *,
    unit_name: str = "",
    filled_on: datetime.date | None = None,
    blank_rows: int = TEMPLATE_BLANK_ROWS,
) -> bytes | None:
    """The blank template, laid out exactly like the export, so an export imports back.

    Its 填报日期 stays blank unless ``filled_on`` is given: the branch dates the filled form."""
    exporter = _template_exporter(spec)(unit_name=unit_name, filled_on=filled_on)
    return write_xlsx(exporter, target, blank_rows=blank_rows)


def read_xlsx(
    spec: ImportSpec,
    upload: bytes | str | os.PathLike | IO[bytes],
    *,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_UPLOAD_BYTES,
    max_uncompressed: int | None = None,
    max_ratio: float | None = None,
    max_members: int = MAX_ZIP_MEMBERS,
) -> ImportResult:
    """Validate an uploaded workbook against ``spec``; never raises for bad input."""
    last_row, last_column = sheet_limits(spec, max_rows)
    try:
        stream = open_upload(upload, max_bytes)
        check_zip(
            stream,
            max_uncompressed or settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_ratio or settings.UPLOAD_MAX_COMPRESSION_RATIO,
            max_members,
        )
        check_extent(stream, last_row, last_column)
        precheck(stream, max_rows, last_row, last_column)
        ws = load_sheet(stream)
        header_row = _check_header(ws, spec)
    except Rejected as rejected:
        return ImportResult(errors=[RowError(rejected.row, rejected.column, str(rejected))])
    return _read_rows(ws, spec, header_row, last_row)


def sheet_limits(spec: ImportSpec, max_rows: int = MAX_ROWS) -> tuple[int, int]:
    """The last row and column a filled-in template may use: its columns, and the header
    (wherever it was moved within the search rows), ``max_rows`` rows, spare blank rows and
    the footer."""
    last_row = max(spec.header_row, HEADER_SEARCH_ROWS) + max_rows + SPARE_ROWS
    return last_row + len(spec.footer_columns), max(len(spec.columns), 1)


def _clean_header(value) -> str:
    return "" if value is None else re.sub(r"\s+", "", str(value))


def _spellings(label) -> set[str]:
    """A header or label as written in each interface language: a template downloaded while
    the portal spoke Chinese imports while it speaks English, and the other way round."""
    spellings = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            spellings.add(_clean_header(str(label)))
    return spellings


def _row_headers(ws, row: int, width: int) -> list[str]:
    found = [_clean_header(ws.cell(row, c).value) for c in range(1, width + 1)]
    while found and not found[-1]:
        found.pop()
    return found


def _check_header(ws, spec: ImportSpec) -> int:
    """The row of the table header: where the spec puts it, else the first matching row."""
    # Not ws.max_column: check_extent refused values right of the columns, and an empty
    # formatted cell far to the right must not make every searched row that wide.
    width = len(spec.columns)
    expected = [_spellings(col.header) for col in spec.columns]

    def matches(found: list[str]) -> bool:
        return len(found) == len(expected) and all(
            text in spellings for text, spellings in zip(found, expected, strict=True)
        )

    found = _row_headers(ws, spec.header_row, width)
    if matches(found):
        return spec.header_row
    for row in range(1, min(ws.max_row, HEADER_SEARCH_ROWS) + 1):
        if row != spec.header_row and matches(_row_headers(ws, row, width)):
            return row
    raise Rejected(
        _(
            "The header row (row %(row)s) does not match the template. "
            "Expected: %(expected)s. Found: %(found)s."
        )
        % {
            "row": spec.header_row,
            "expected": ", ".join(spec.headers),
            "found": ", ".join(h or "∅" for h in found) or "∅",
        }
    )


def _block_pairs(ws, first: int, last: int):
    """(row, label, value cell) of each label/value row between ``first`` and ``last``."""
    for row in ws.iter_rows(min_row=first, max_row=last):
        filled = [cell for cell in row if not is_blank(cell.value)]
        if filled:
            yield row[0].row, _clean_header(filled[0].value), (filled[1:2] or [None])[0]


def _read_block(ws, columns, first: int, last: int, into: dict, result: ImportResult) -> None:
    by_label = {label: col for col in columns for label in _spellings(col.header)}
    for row, label, cell in _block_pairs(ws, first, last):
        column = by_label.get(label)
        if column is None:
            continue
        result.field_rows[column.key] = row
        try:
            into[column.key] = convert_cell(column, cell)
        except ValueError as problem:
            result.errors.append(RowError(row, str(column.header), str(problem)))


def _footer_start(ws, spec: ImportSpec, first_data_row: int, last_row: int) -> int | None:
    """The first row after the table whose label is a footer label (the data ends there)."""
    if not spec.footer_columns:
        return None
    labels = set().union(*(_spellings(col.header) for col in spec.footer_columns))
    for row in ws.iter_rows(min_row=first_data_row, max_row=last_row, max_col=1):
        if _clean_header(row[0].value) in labels:
            return row[0].row
    return None


def _read_rows(ws, spec: ImportSpec, header_row: int, last_row: int) -> ImportResult:
    """The rows up to ``last_row`` and the template's columns only (never ``ws.max_row``):
    openpyxl creates every cell it is asked for, and check_extent refused values beyond."""
    result = ImportResult()
    ncols = len(spec.columns)
    first_data_row = header_row + 1
    last_row = min(ws.max_row, last_row)
    footer_row = _footer_start(ws, spec, first_data_row, last_row)
    last_data_row = (footer_row - 1) if footer_row else last_row
    if spec.header_columns:
        _read_block(ws, spec.header_columns, INFO_ROW + 1, header_row - 1, result.header, result)
    if footer_row:
        _read_block(ws, spec.footer_columns, footer_row, last_row, result.footer, result)
    merged_errors = []
    for merged in ws.merged_cells.ranges:
        in_data = merged.max_row >= first_data_row and merged.min_row <= last_data_row
        if in_data:
            merged_errors.append(
                RowError(
                    merged.min_row,
                    None,
                    _("Cells %(cells)s are merged; unmerge them and fill in every cell.")
                    % {"cells": merged.coord},
                )
            )
    if merged_errors:
        result.errors.extend(merged_errors)
        return result
    if last_data_row < first_data_row:
        return result
    filled = [
        row
        for row in ws.iter_rows(min_row=first_data_row, max_row=last_data_row, max_col=ncols)
        if any(not is_blank(cell.value) for cell in row)
    ]
    for cells in filled:
        row_number = cells[0].row
        record: dict[str, Any] = {ROW_KEY: row_number}
        for index, column in enumerate(spec.columns):
            cell = cells[index] if index < len(cells) else None
            try:
                record[column.key] = convert_cell(column, cell)
            except ValueError as problem:
                result.errors.append(RowError(row_number, str(column.header), str(problem)))
        result.rows.append(record)
    return result


def model_row_errors(
    row: int | None, instance, headers: dict[str, str], fields=None
) -> list[RowError]:
    """The model's own validation of what one row (or header value) is about to become,
    named by Excel row and column header: lengths, ranges, formats, the date window."""
    return [
        RowError(row, headers.get(name, name), message)
        for name, messages in model_errors(instance, fields).items()
        for message in messages
    ]
