"""Hostile files for the upload tests, built as streams, and a bound on what handling one costs.

The bombs are written into zip members in 1 MB chunks, so a test building 300 MB of spaces
holds only the few hundred KB of the compressed result.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from functools import cache
from typing import TypeVar

from openpyxl import load_workbook

T = TypeVar("T")
MB = 1024 * 1024

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES_ROOT = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/>'
)
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

# Each entity is ten of the one before: &lol9; stands for 10^9 "lol"s.
BILLION_LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


def padded_member(archive: zipfile.ZipFile, name: str, head: bytes, megabytes: int, tail: bytes):
    """Write ``head``, ``megabytes`` MB of spaces (valid XML whitespace), then ``tail``."""
    chunk = b" " * MB
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(head)
        for _i in range(megabytes):
            member.write(chunk)
        member.write(tail)


@cache  # built once per test run, whichever module asks first
def docx_bomb(megabytes: int = 300) -> bytes:
    """A .docx whose [Content_Types].xml inflates to ``megabytes`` MB; it declares the Word
    main part right at the top, as a real one does."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        padded_member(
            archive,
            "[Content_Types].xml",
            (XML_DECLARATION + CONTENT_TYPES_ROOT).encode(),
            megabytes,
            b"</Types>",
        )
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def docx_with_entities() -> bytes:
    """A small .docx whose manifest expands an entity a billion times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            XML_DECLARATION + BILLION_LAUGHS_DTD + CONTENT_TYPES_ROOT + "&lol9;</Types>",
        )
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def sheet_part(archive: zipfile.ZipFile) -> str:
    return next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))


def rewrite_sheet(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` with its sheet's XML replaced by ``change(xml)``, every other part kept."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        sheet = sheet_part(source)
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == sheet else content)
    return out.getvalue()


@cache
def xlsx_bomb(template: bytes, megabytes: int = 300) -> bytes:
    """The real template with ``megabytes`` MB of spaces inside its sheet's <sheetData>."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        sheet = sheet_part(source)
        for info in source.infolist():
            content = source.read(info)
            if info.filename == sheet:
                head, tail = content.split(b"<sheetData>", 1)
                padded_member(target, sheet, head + b"<sheetData>", megabytes, tail)
            else:
                target.writestr(info.filename, content)
    return out.getvalue()


def with_cell(template: bytes, coordinate: str, value="多余") -> bytes:
    """The template with one value typed at ``coordinate``."""
    wb = load_workbook(io.BytesIO(template))
    wb.worksheets[0][coordinate] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def within_bounds(run: Callable[[], T], *, seconds: float = 1.0, megabytes: int = 50) -> T:
    """Run ``run`` three times: once to warm up (the first request of a process compiles its
    templates and fills Django's caches, which is not the upload's cost), once for its CPU
    time, once under tracemalloc for the peak of what it allocates; assert both bounds. CPU
    time of this process, not wall time, so the other work on a shared machine does not make
    the test flaky; tracemalloc's peak counts every object and buffer Python allocates
    (inflated data, cells), not the interpreter's memory before the call."""
    run()
    started = time.process_time()
    run()
    elapsed = time.process_time() - started
    assert elapsed < seconds, f"took {elapsed:.2f} s of CPU"
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = run()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < megabytes * MB, f"peak {peak / MB:.0f} MB"
    return result
