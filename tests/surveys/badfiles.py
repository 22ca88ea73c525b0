"""Spreadsheets for the import tests: a good file from an export, and each kind of bad file."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from portal.xlsx_layout import HEADER_FILL
from tests.builders.tasks import PDF_BYTES


def header_row(ws) -> int:
    """The table header: below the title, info row and the form's header block, if any."""
    for row in range(1, ws.max_row + 1):
        if str(ws.cell(row, 1).fill.start_color.rgb).endswith(HEADER_FILL):
            return row
    raise LookupError("no header row")


def first_data_row(ws) -> int:
    return header_row(ws) + 1


def edit(data: bytes, change) -> bytes:
    """Load ``data``, let ``change(workbook, sheet)`` alter it, return the saved bytes."""
    wb = load_workbook(io.BytesIO(data))
    change(wb, wb.worksheets[0])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def column_of(ws, header: str) -> int:
    for cell in ws[header_row(ws)]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def zip_bomb() -> bytes:
    """A small file that claims to be a workbook and would expand to 30 MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return out.getvalue()


def _wrong_header(wb, ws):
    ws.cell(header_row(ws), 2).value = "随便写的标题"


def _reordered_header(wb, ws):
    row = header_row(ws)
    first, second = ws.cell(row, 2).value, ws.cell(row, 3).value
    ws.cell(row, 2).value, ws.cell(row, 3).value = second, first


def _extra_sheet(wb, ws):
    wb.create_sheet("Sheet2")["A1"] = "备注"


def _merged(wb, ws):
    row = first_data_row(ws)
    ws.merge_cells(start_row=row, start_column=2, end_row=row + 1, end_column=2)


def _formula(wb, ws):
    ws.cell(first_data_row(ws), ws.max_column).value = "=1+1"


def _too_many_rows(wb, ws):
    row = first_data_row(ws)
    for merged in [r for r in ws.merged_cells.ranges if r.min_row > row]:
        ws.unmerge_cells(str(merged))  # the footer block, overwritten by the copies
    for n in range(2001):
        for c in range(1, ws.max_column + 1):
            value = ws.cell(row, c).value
            ws.cell(row + 1 + n, c).value = value


# name → (builder from a good file, words the message must contain)
BAD_FILES = {
    "not_xlsx": (lambda good: b"just some text, renamed to .xlsx", "not an Excel .xlsx file"),
    "pdf": (lambda good: PDF_BYTES, "a PDF document"),
    "wrong_header": (lambda good: edit(good, _wrong_header), "does not match the template"),
    "reordered_header": (lambda good: edit(good, _reordered_header), "does not match the template"),
    "extra_sheets": (lambda good: edit(good, _extra_sheet), "Delete the extra sheets"),
    "merged_cells": (lambda good: edit(good, _merged), "are merged"),
    "formula": (lambda good: edit(good, _formula), "contains a formula"),
    "too_many_rows": (lambda good: edit(good, _too_many_rows), "more than 2000 filled rows"),
    "zip_bomb": (lambda good: zip_bomb(), "is refused"),
}
