"""File-level checks of an uploaded workbook, run before any row is read (points 1–5 and the
row count of ``portal.xlsx_import``'s list): size, magic bytes, the zip directory (zip bombs),
the content type, one sheet. Each refusal raises ``Rejected`` with the user-facing message.
"""

from __future__ import annotations

import io
import os
import zipfile
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.xlsx import FIRST_DATA_ROW

# Limits; each can be overridden per call (a form with long text may allow more).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024  # bounds the in-memory load of the sheet
MAX_COMPRESSION_RATIO = 100  # real sheets stay well below; zeros-filled bombs reach 1000
RATIO_CHECK_MIN_BYTES = 1024 * 1024  # tiny members compress oddly and are harmless
MAX_ZIP_MEMBERS = 500

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc
_SPREADSHEET_MAIN = "spreadsheetml.sheet.main+xml"


class Rejected(Exception):
    """The whole file is refused; carries the user-facing message."""


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
    if head.startswith(_ZIP_MAGIC):
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
        members = archive.infolist()
        if len(members) > max_members:
            raise Rejected(
                _("The file has too many parts (%(count)s) to be an exported template.")
                % {"count": len(members)}
            )
        total = 0
        for info in members:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size >= RATIO_CHECK_MIN_BYTES and ratio > max_ratio:
                raise Rejected(
                    _("The file is refused: part %(name)s expands %(ratio)s times.")
                    % {"name": info.filename, "ratio": int(ratio)}
                )
        if total > max_uncompressed:
            raise Rejected(
                _("The file is refused: its content would expand to %(size)s MB.")
                % {"size": round(total / 1048576)}
            )
        try:
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        except KeyError:
            raise Rejected(not_xlsx) from None
    if _SPREADSHEET_MAIN not in content_types:
        raise Rejected(_("The file is an Office document but not an Excel workbook."))
    stream.seek(0)


def precheck(stream, max_rows: int) -> None:
    """Sheet count and row count from a streaming read, before the full (in-memory) load."""
    try:
        wb = load_workbook(stream, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for broken parts; all mean the same here
        raise Rejected(_("The file is damaged or is not an Excel .xlsx workbook.")) from None
    try:
        check_sheet_count(wb)
        count = 0
        for values in wb.worksheets[0].iter_rows(min_row=FIRST_DATA_ROW, values_only=True):
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
