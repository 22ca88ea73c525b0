"""File-level checks of an uploaded workbook, run before any row is read (points 1–5 and the
row count of ``portal.xlsx_import``'s list): size, magic bytes, the zip directory (zip bombs),
the content type, the sheet's extent, one sheet. Each refusal raises ``Rejected`` with the
user-facing message.

The extent: openpyxl builds every row and cell between the top and the last cell it meets, so
one stray value at A1048576 costs gigabytes, and a merge such as A1:XFD1048576 creates a cell
object for each cell it covers. ``check_extent`` streams the sheet's XML first and stops at the
first cell or merge beyond the template's columns and rows, naming it; it never trusts the
sheet's ``dimension`` element, which may lie or be absent.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import IO, NoReturn

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries
from openpyxl.utils.exceptions import CellCoordinatesException

from portal.archives import CONTENT_TYPES, ZIP_MAGIC, ArchiveRefused, check_directory, declared_type
from portal.xlsx_layout import FIRST_DATA_ROW

if not openpyxl.DEFUSEDXML:
    # openpyxl parses a workbook's XML with defusedxml only when it is importable and
    # OPENPYXL_DEFUSEDXML is not "False"; otherwise entity declarations in a user's file would
    # reach the system's expat. Refuse to start rather than import unsafely.
    raise ImproperlyConfigured(
        "openpyxl must use defusedxml: install it, unset OPENPYXL_DEFUSEDXML"
    )

# Limits; each can be overridden per call (a form with long text may allow more). The total
# uncompressed size and the compression ratio come from settings (IMPORT_MAX_UNCOMPRESSED_MB,
# UPLOAD_MAX_COMPRESSION_RATIO) unless the caller names them.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ZIP_MEMBERS = 500

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc
_SPREADSHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _MERGE = _MAIN_NS + "row", _MAIN_NS + "c", _MAIN_NS + "mergeCell"
_VALUE_TAGS = (_MAIN_NS + "v", _MAIN_NS + "is")
_FORMULA = _MAIN_NS + "f"


class Rejected(Exception):
    """The whole file is refused; carries the user-facing message, and the row and cell when
    one cell is the reason."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def open_upload(upload, max_bytes: int) -> IO[bytes]:
    if isinstance(upload, bytes | bytearray):
        stream: IO[bytes] = io.BytesIO(upload)
    elif isinstance(upload, str | os.PathLike):
        if os.path.getsize(upload) > max_bytes:
            raise Rejected(_("The file is larger than %(limit)s MB.") % _mb(max_bytes))
        with open(upload, "rb") as handle:
            stream = io.BytesIO(handle.read())
    else:
        stream = upload
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise Rejected(_("The file is empty."))
    if size > max_bytes:
        raise Rejected(_("The file is larger than %(limit)s MB.") % _mb(max_bytes))
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(ZIP_MAGIC):
        return stream
    if head.startswith(b"%PDF"):
        kind = _("a PDF document")
    elif head.startswith(_OLE_MAGIC):
        kind = _("an old-format Excel 97–2003 (.xls) file; save it as .xlsx")
    else:
        kind = _("not a spreadsheet")
    raise Rejected(
        _("This is not an Excel .xlsx file (%(kind)s). Download the template and fill it in.")
        % {"kind": kind}
    )


def _mb(size: int) -> dict[str, float]:
    return {"limit": round(size / 1048576, 1)}


def check_zip(stream, max_uncompressed: int, max_ratio: float, max_members: int) -> None:
    not_xlsx = _("The file is damaged or is not an Excel .xlsx workbook.")
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Rejected(not_xlsx) from None
    with archive:
        try:
            check_directory(
                archive,
                max_uncompressed=max_uncompressed,
                max_ratio=max_ratio,
                max_members=max_members,
            )
        except ArchiveRefused as refused:
            raise Rejected(str(refused)) from None
        if CONTENT_TYPES not in archive.namelist():
            raise Rejected(not_xlsx)
        if declared_type(archive, [_SPREADSHEET_MAIN]) is None:
            raise Rejected(_("The file is an Office document but not an Excel workbook."))
    stream.seek(0)


def check_extent(stream, last_row: int, last_column: int) -> None:
    """Refuse the first cell holding anything below ``last_row`` or right of ``last_column``,
    and any merge reaching there, naming it. Every part of the archive is streamed (openpyxl
    finds the sheet through relationships, not by name); parts that are not XML are skipped,
    and only elements of the worksheet namespace are looked at. Empty formatted cells beyond
    the limits are let through: the reader never asks for cells there."""
    try:
        with zipfile.ZipFile(stream) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    with archive.open(info) as member:
                        _scan_part(member, last_row, last_column)
    except (
        DefusedXmlException,
        CellCoordinatesException,
        ValueError,
        zipfile.BadZipFile,
        RuntimeError,  # an encrypted part
        NotImplementedError,  # a compression method zipfile does not know
        EOFError,
    ):
        raise Rejected(_("The file is damaged or is not an Excel .xlsx workbook.")) from None
    finally:
        stream.seek(0)


def _scan_part(member, last_row: int, last_column: int) -> None:
    row_number = column = merged_area = 0
    sheet_data = None
    try:
        for event, element in iterparse(member, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _ROW:
                    row_number = int(element.get("r") or row_number + 1)
                    column = 0
                elif tag == _MAIN_NS + "sheetData":
                    sheet_data = element
            elif tag == _CELL:
                ref = element.get("r")
                row, column = coordinate_to_tuple(ref) if ref else (row_number, column + 1)
                if (row > last_row or column > last_column) and _holds_value(element):
                    _refuse_cell(ref or _coordinate(row, column), row, last_row)
            elif tag == _ROW and sheet_data is not None:
                sheet_data.clear()  # the rows already checked are not kept
            elif tag == _MERGE:
                min_col, min_row, max_col, max_row = range_boundaries(element.get("ref", ""))
                merged_area += (max_col - min_col + 1) * (max_row - min_row + 1)
                if max_row > last_row or max_col > last_column:
                    raise Rejected(
                        _(
                            "Cells %(cells)s are merged beyond the template's range; "
                            "unmerge them and upload again."
                        )
                        % {"cells": element.get("ref")}
                    )
                if merged_area > last_row * last_column:
                    raise ValueError("merges overlap")  # Excel itself calls this damaged
    except ParseError:
        return  # not XML (a picture, a printer setting): openpyxl judges it if it reads it


def _holds_value(cell) -> bool:
    """A value, an inline string or a formula: what openpyxl would read as content."""
    return any(
        child.tag == _FORMULA or (child.tag in _VALUE_TAGS and (child.text or len(child)))
        for child in cell
    )


def _coordinate(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _refuse_cell(ref: str, row: int, last_row: int) -> NoReturn:
    if row > last_row:
        raise Rejected(
            _(
                "Cell %(cell)s is outside the template, which ends by row %(row)s; "
                "delete it and upload again."
            )
            % {"cell": ref, "row": last_row},
            row=row,
            column=ref,
        )
    raise Rejected(
        _("Cell %(cell)s is outside the template's columns.") % {"cell": ref},
        row=row,
        column=ref,
    )


def precheck(stream, max_rows: int, last_row: int, last_column: int) -> None:
    """Sheet count and row count from a streaming read, before the full (in-memory) load.
    The read stops at ``last_row`` and ``last_column`` (``check_extent`` has refused anything
    beyond) instead of trusting the sheet's ``dimension``."""
    try:
        wb = load_workbook(stream, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for broken parts; all mean the same here
        raise Rejected(_("The file is damaged or is not an Excel .xlsx workbook.")) from None
    try:
        check_sheet_count(wb)
        count = 0
        rows = wb.worksheets[0].iter_rows(
            min_row=FIRST_DATA_ROW, max_row=last_row, max_col=last_column, values_only=True
        )
        for values in rows:
            if any(not is_blank(v) for v in values):
                count += 1
                if count > max_rows:
                    raise Rejected(
                        _(
                            "The file has more than %(limit)s filled rows; "
                            "import at most %(limit)s at once."
                        )
                        % {"limit": max_rows}
                    )
    except Rejected:
        raise
    except Exception:
        raise Rejected(_("The file is damaged or is not an Excel .xlsx workbook.")) from None
    finally:
        wb.close()
        stream.seek(0)


def check_sheet_count(wb) -> None:
    if len(wb.sheetnames) != 1:
        raise Rejected(
            _(
                "The file has %(count)s sheets (%(names)s); the template has one. "
                "Delete the extra sheets and upload again."
            )
            % {"count": len(wb.sheetnames), "names": ", ".join(wb.sheetnames)}
        )


def load_sheet(stream):
    try:
        # data_only=False: formulas come back as formulas, so they can be refused.
        wb = load_workbook(stream, data_only=False)
    except Exception:
        raise Rejected(_("The file is damaged or is not an Excel .xlsx workbook.")) from None
    check_sheet_count(wb)
    return wb.worksheets[0]
