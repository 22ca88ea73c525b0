"""Serving workbooks over HTTP: the download response (audited) and its file name header."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from urllib.parse import quote

from django.http import FileResponse

from portal.audit import log_action
from portal.audit_actions import ACTION_EXPORT_DOWNLOADED
from portal.exporters import Exporter
from portal.xlsx import XLSX_CONTENT_TYPE, write_xlsx


def content_disposition(filename: str, *, attachment: bool = True) -> str:
    """A Content-Disposition value with an ASCII fallback and the RFC 5987 UTF-8 name."""
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
    stem, dot, ext = ascii_name.rpartition(".")
    if not stem.strip(" ._-"):
        ascii_name = "export." + (ext if dot else "xlsx")
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_response(
    exporters: Exporter | Iterable[Exporter],
    filename: str | None = None,
    *,
    audit_object=None,
    audit_data: dict | None = None,
    **write_options,
) -> FileResponse:
    """A download response for the rendered workbook, audited as one ``export.downloaded``
    entry (about ``audit_object``, with ``audit_data`` added to its details).

    The file is built in a spooled temporary file (memory up to 8 MB, then disk), so large
    exports do not sit in memory as one bytes object.
    """
    if isinstance(exporters, Exporter):
        exporters = [exporters]
    exporters = list(exporters)
    if filename is None:
        filename = exporters[0].filename() if exporters else "export.xlsx"
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(exporters, buffer, **write_options)
    buffer.seek(0)
    # Every download is audited: who took which data out, when and from where.
    log_action(
        audit_object,
        ACTION_EXPORT_DOWNLOADED,
        data={
            "file": filename,
            "sheets": [exporter.identifier for exporter in exporters],
            **(audit_data or {}),
        },
    )
    response = FileResponse(buffer, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
