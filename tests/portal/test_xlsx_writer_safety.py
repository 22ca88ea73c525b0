"""The xlsx writer's guarantees beyond layout: text never becomes a formula, progress is
reported through a callback, a failed export leaves nothing behind, and only public library
APIs are used."""

from __future__ import annotations

import datetime
import io
import re
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from portal.exporters import DATE, INT, Column, Exporter
from portal.xlsx import write_xlsx

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = [
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    '=HYPERLINK("http://x","y")',
    "=cmd|'/C calc'!A0",
]


class Plain(Exporter):
    identifier = "tests.plain"
    title = "报表"
    columns = [
        Column("no", "序号", 6, INT),
        Column("text", "内容", 20),
        Column("on", "日期", 12, DATE),
    ]

    def __init__(self, data=(), **kwargs):
        kwargs.setdefault("filled_on", datetime.date(2022, 10, 31))
        super().__init__(**kwargs)
        self.data = list(data)

    def rows(self):
        return iter(self.data)


class _Text:
    """An object whose text looks like a formula (e.g. a model instance named so)."""

    def __init__(self, text):
        self.text = text

    def __str__(self):
        return self.text


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_is_stored_as_text_in_every_kind_of_cell(text):
    class Formulaic(Plain):
        title = text
        columns = [Column("no", text, 6, INT), Column("text", "内容", 20), Column("on", "日期")]

    rows = [[text, text, text], [1, _Text(text), None]]
    ws = _sheet(write_xlsx(Formulaic(rows, unit_name=text)))
    # title, header, a number column, a text column, a date column, an object's text
    for ref in ("A1", "A3", "A4", "B4", "C4", "B5"):
        assert ws[ref].data_type == "s", ref
        assert ws[ref].value == text, ref
        assert ws[ref].quotePrefix, ref
    assert ws["A1"].font.b and ws["A3"].fill.fill_type == "solid"  # quoting keeps the look


def test_text_that_looks_like_a_number_date_or_link_stays_text():
    values = ["00123", "2022-10-31", "http://example.com", "1e5"]
    ws = _sheet(write_xlsx(Plain([[None, v, None] for v in values])))
    assert [ws.cell(r, 2).value for r in range(4, 8)] == values
    assert {ws.cell(r, 2).data_type for r in range(4, 8)} == {"s"}
    assert not ws["B6"].hyperlink


def test_progress_callback_counts_rows_of_each_sheet_in_order():
    calls = []
    sheets = [Plain([[i, "x", None] for i in range(7)]), Plain([[1, "y", None]] * 3)]
    write_xlsx(sheets, io.BytesIO(), progress=lambda *args: calls.append(args), progress_every=3)
    assert calls == [
        (0, 3, False),
        (0, 6, False),
        (0, 7, True),
        (1, 3, False),
        (1, 3, True),
    ]


def test_no_progress_callback_is_needed():
    assert write_xlsx(Plain([[1, "x", None]]))[:2] == b"PK"


def test_a_failed_export_writes_nothing_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    class Broken(Plain):
        def rows(self):
            yield [1, "first", None]
            raise RuntimeError("database went away")

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    target = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError, match="went away"):
        write_xlsx([Plain([[1, "ok", None]]), Broken()], target)
    assert not target.exists()
    assert list(scratch.iterdir()) == []
    buffer = io.BytesIO()
    with pytest.raises(RuntimeError):
        write_xlsx(Broken(), buffer)
    assert buffer.getvalue() == b""


PRIVATE_API = re.compile(r"openpyxl\.worksheet\._write_only|_values_to_row|_cell_styles")


def test_no_private_api_of_the_spreadsheet_libraries_is_used():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("portal", "tasks", "surveys", "ratings", "branches", "dues")
        for path in (ROOT / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PRIVATE_API.search(line)
    ]
    assert offenders == []
