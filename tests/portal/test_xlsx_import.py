"""Importing filled templates: round trip, and every kind of bad or hostile file."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from portal.xlsx import write_xlsx
from portal.xlsx_cells import _to_text
from portal.xlsx_import import (
    ROW_KEY,
    ImportSpec,
    read_xlsx,
    sheet_limits,
    template_workbook,
)
from portal.xlsx_layout import FIRST_DATA_ROW, HEADER_ROW
from tests.bounds import BILLION_LAUGHS_DTD, rewrite_sheet, with_cell, within_bounds, xlsx_bomb
from tests.portal.test_xlsx_writer import BLOCK_FIELDS, SAMPLE_ROWS, BlockExporter, SampleExporter


@pytest.fixture(autouse=True)
def _english_messages():
    """The assertions compare English msgids; the catalogue's Chinese is tested elsewhere."""
    with translation.override("en"):
        yield


SPEC = ImportSpec.for_exporter(SampleExporter)


def _filled(rows, mutate=None) -> bytes:
    """The blank template filled with ``rows`` (values as a user types them)."""
    wb = load_workbook(io.BytesIO(template_workbook(SPEC, unit_name="第一党支部")))
    ws = wb.active
    for offset, row in enumerate(rows):
        for col, value in enumerate(row, 1):
            ws.cell(FIRST_DATA_ROW + offset, col, value)
    if mutate:
        mutate(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _only_error(result):
    assert not result.ok
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


GOOD = [[1, "理论学习不够系统", "2022-11-30", "未开始", "立行立改"]]


def test_export_imports_back_to_the_same_data():
    data = write_xlsx(SampleExporter(SAMPLE_ROWS))
    result = read_xlsx(SPEC, data)
    assert result.ok, result.errors
    assert [{k: v for k, v in r.items() if k != ROW_KEY} for r in result.rows] == [
        {
            "no": 1,
            "problem": "理论学习不够系统",
            "deadline": datetime.date(2022, 11, 30),
            "status": "open",
            "remarks": "立行立改",
        },
        {
            "no": 2,
            "problem": "组织生活会质量不高",
            "deadline": datetime.date(2022, 12, 20),
            "status": "doing",
            "remarks": "",
        },
    ]
    assert [r[ROW_KEY] for r in result.rows] == [4, 5]


def test_formula_like_text_survives_the_round_trip_as_text():
    data = write_xlsx(SampleExporter([[1, '=HYPERLINK("x")', "2022-11-30", "open", "-1"]]))
    result = read_xlsx(SPEC, data)
    assert result.ok, result.errors
    assert result.rows[0]["problem"] == '=HYPERLINK("x")'
    assert result.rows[0]["remarks"] == "-1"


def test_blank_template_imports_as_no_rows_and_accepts_uploaded_file():
    upload = SimpleUploadedFile("模板.xlsx", template_workbook(SPEC))
    result = read_xlsx(SPEC, upload)
    assert result.ok and result.rows == []


def test_filled_template_from_path(tmp_path):
    path = tmp_path / "filled.xlsx"
    path.write_bytes(_filled(GOOD))
    result = read_xlsx(SPEC, path)
    assert result.ok, result.errors
    assert result.rows[0]["status"] == "open"


@pytest.mark.parametrize(
    "text", ["2022-10-31", "2022/10/31", "2022.10.31", "2022年10月31日", "2022-1-5"]
)
def test_dates_typed_as_text_are_accepted(text):
    result = read_xlsx(SPEC, _filled([[1, "问题", text, "未开始", ""]]))
    assert result.ok, result.errors
    expected = datetime.date(2022, 1, 5) if text == "2022-1-5" else datetime.date(2022, 10, 31)
    assert result.rows[0]["deadline"] == expected


def test_real_date_cells_are_accepted():
    result = read_xlsx(SPEC, _filled([[1, "问题", datetime.date(2022, 10, 31), "未开始", ""]]))
    assert result.ok, result.errors
    assert result.rows[0]["deadline"] == datetime.date(2022, 10, 31)


@pytest.mark.parametrize("text", ["31/10/2022", "2022-10-31 extra", "2022-02-30", "十月底"])
def test_other_dates_are_refused_naming_row_and_column(text):
    rows = [GOOD[0], [2, "问题", text, "未开始", ""]]
    error = _only_error(read_xlsx(SPEC, _filled(rows)))
    assert error.row == FIRST_DATA_ROW + 1
    assert error.column == "完成时限"
    assert text in error.message
    assert "Row 5" in str(error) and "完成时限" in str(error)


def test_required_int_and_choice_columns_are_checked():
    rows = [[None, "", "2022-10-31", "完成了", ""], ["x", "问题", "2022-10-31", "未开始", ""]]
    result = read_xlsx(SPEC, _filled(rows))
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(4, "问题描述"), (4, "状态"), (5, "序号")}
    choice_error = next(e for e in result.errors if e.column == "状态")
    assert "未开始" in choice_error.message and "已完成" in choice_error.message


def test_every_problem_is_listed_and_rows_are_still_previewed():
    rows = [[1, "", "bad", "未开始", ""], [2, "ok", "2022-10-31", "错", ""]]
    result = read_xlsx(SPEC, _filled(rows))
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "问题描述"),
        (4, "完成时限"),
        (5, "状态"),
    ]
    assert len(result.rows) == 2  # for the preview; the caller saves nothing


def test_script_text_is_kept_verbatim_and_escaped_on_output():
    script = "<script>alert(1)</script>"
    result = read_xlsx(SPEC, _filled([[1, script, "2022-10-31", "未开始", ""]]))
    assert result.ok
    assert result.rows[0]["problem"] == script
    rendered = engines["django"].from_string("{{ v }}").render({"v": result.rows[0]["problem"]})
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered


def test_formula_cell_is_refused_naming_the_cell():
    error = _only_error(read_xlsx(SPEC, _filled([[1, "=1+1", "2022-10-31", "未开始", ""]])))
    assert (error.row, error.column) == (4, "问题描述")
    assert "B4" in error.message


def test_value_outside_the_template_columns_is_refused():
    error = _only_error(read_xlsx(SPEC, _filled([GOOD[0] + ["extra"]])))
    assert error.row == 4 and "F4" in error.message


def test_wrong_header_is_refused_naming_expected_and_found():
    def rename(wb):
        wb.active.cell(HEADER_ROW, 2, "问题")

    error = _only_error(read_xlsx(SPEC, _filled(GOOD, rename)))
    assert error.row is None
    assert "Expected: 序号, 问题描述" in error.message
    assert "Found: 序号, 问题," in error.message


def test_reordered_header_is_refused():
    def swap(wb):
        wb.active.cell(HEADER_ROW, 1, "问题描述")
        wb.active.cell(HEADER_ROW, 2, "序号")

    error = _only_error(read_xlsx(SPEC, _filled(GOOD, swap)))
    assert "Found: 问题描述, 序号" in error.message


def test_extra_sheet_is_refused_naming_it():
    def add_sheet(wb):
        wb.create_sheet("草稿")

    error = _only_error(read_xlsx(SPEC, _filled(GOOD, add_sheet)))
    assert "2" in error.message and "草稿" in error.message


def test_merged_cells_in_the_data_area_are_refused_naming_them():
    def merge(wb):
        wb.active.merge_cells("B4:B5")

    rows = [GOOD[0], [2, None, "2022-10-31", "未开始", ""]]
    error = _only_error(read_xlsx(SPEC, _filled(rows, merge)))
    assert "B4:B5" in error.message


def test_too_many_rows_are_refused_with_the_limit():
    rows = [[i, "问题", "2022-10-31", "未开始", ""] for i in range(1, 12)]
    error = _only_error(read_xlsx(SPEC, _filled(rows), max_rows=10))
    assert "more than 10 filled rows" in error.message
    assert read_xlsx(SPEC, _filled(rows[:10]), max_rows=10).ok


def test_raw_control_characters_are_refused():
    # openpyxl refuses to write them, so patch the XML the way a hostile tool would. XML 1.0
    # forbids them, so the file is refused as damaged; text cells never carry them further.
    data = _filled([[1, "PLACEHOLDER", "2022-10-31", "未开始", ""]])
    source, patched = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, body.replace(b"PLACEHOLDER", b"a&#27;b"))
    error = _only_error(read_xlsx(SPEC, patched.getvalue()))
    assert "damaged" in error.message
    with pytest.raises(ValueError, match="control characters"):
        _to_text("a\x1bb")


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "empty"),
        (b"name,problem\n1,x\n", "not an Excel .xlsx file"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04 truncated", "damaged"),
    ],
)
def test_files_that_are_not_xlsx_are_refused(content, phrase):
    error = _only_error(read_xlsx(SPEC, SimpleUploadedFile("renamed.xlsx", content)))
    assert phrase in error.message


def test_other_office_documents_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
    error = _only_error(read_xlsx(SPEC, buffer.getvalue()))
    assert "not an Excel workbook" in error.message


def test_zip_without_content_types_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "not an Excel" in _only_error(read_xlsx(SPEC, buffer.getvalue())).message


def _bomb(megabytes: int) -> bytes:
    """A valid-looking xlsx whose sheet is ``megabytes`` of zeros, written in 1 MB chunks."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "spreadsheetml.sheet.main+xml")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _i in range(megabytes):
                member.write(chunk)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_expanding():
    data = _bomb(200)
    assert len(data) < 1024 * 1024  # 200 MB of zeros shrink to a few hundred KB
    error = _only_error(read_xlsx(SPEC, data))
    assert "expands" in error.message and "sheet1.xml" in error.message


def test_total_uncompressed_size_and_upload_size_are_limited():
    data = _bomb(3)
    error = _only_error(read_xlsx(SPEC, data, max_ratio=10_000, max_uncompressed=2 * 1048576))
    assert "expand to 3 MB" in error.message
    error = _only_error(read_xlsx(SPEC, data, max_bytes=1000))
    assert "larger than" in error.message


def test_too_many_zip_members_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(30):
            zf.writestr(f"part{i}.xml", "x")
    error = _only_error(read_xlsx(SPEC, buffer.getvalue(), max_members=20))
    assert "30" in error.message


# --- forms with a header block and a footer -----------------------------------------------------
def _block_spec():

    return BlockExporter, ImportSpec.for_exporter(BlockExporter)


def test_header_and_footer_fields_round_trip_with_the_rows():

    exporter_cls, spec = _block_spec()
    result = read_xlsx(spec, write_xlsx(exporter_cls(SAMPLE_ROWS, fields=BLOCK_FIELDS)))
    assert result.ok, result.errors
    assert result.header == {k: BLOCK_FIELDS[k] for k in ("branch", "count", "meaning")}
    assert result.footer == {"met_on": datetime.date(2022, 11, 15), "status": "doing"}
    assert [r[ROW_KEY] for r in result.rows] == [7, 8]  # the footer is not read as rows
    assert result.rows[1]["problem"] == "组织生活会质量不高"


def test_blank_template_with_block_imports_filled_rows_before_the_footer():
    _exporter_cls, spec = _block_spec()
    wb = load_workbook(io.BytesIO(template_workbook(spec, blank_rows=5)))
    ws = wb.active
    assert ws.cell(spec.header_row, 1).value == "序号"
    ws.cell(spec.header_row + 1, 1, 1)
    ws.cell(spec.header_row + 1, 2, "问题")
    ws.cell(spec.header_row + 1, 3, "2022-11-30")
    ws.cell(4, 3, "二十")  # 党员人数 typed as text
    buffer = io.BytesIO()
    wb.save(buffer)
    result = read_xlsx(spec, buffer.getvalue())
    error = _only_error(result)
    assert (error.row, error.column) == (4, "党员人数")
    assert "not a whole number" in error.message
    assert len(result.rows) == 1 and result.footer == {"met_on": None, "status": None}


def test_a_deleted_block_row_still_finds_the_header():

    exporter_cls, spec = _block_spec()

    class Shorter(exporter_cls):  # as if the user removed the 品牌内涵 row
        header_columns = exporter_cls.header_columns[:2]

    result = read_xlsx(spec, write_xlsx(Shorter(SAMPLE_ROWS, fields=BLOCK_FIELDS)))
    assert result.ok, result.errors
    assert set(result.header) == {"branch", "count"}
    assert len(result.rows) == 2


def test_header_not_found_names_the_expected_row():

    exporter_cls, spec = _block_spec()
    wb = load_workbook(io.BytesIO(write_xlsx(exporter_cls(SAMPLE_ROWS, fields=BLOCK_FIELDS))))
    wb.active.cell(6, 2, "问题")
    buffer = io.BytesIO()
    wb.save(buffer)
    message = _only_error(read_xlsx(spec, buffer.getvalue())).message
    assert "(row 6)" in message and "Found: 序号, 问题, 完成时限" in message


def test_a_file_without_the_block_still_imports_its_rows():
    _exporter_cls, spec = _block_spec()
    result = read_xlsx(spec, write_xlsx(SampleExporter(SAMPLE_ROWS)))
    assert result.ok and len(result.rows) == 2 and result.header == {}


def test_merged_cells_in_the_block_and_footer_are_allowed_but_not_in_the_rows():

    exporter_cls, spec = _block_spec()
    wb = load_workbook(io.BytesIO(write_xlsx(exporter_cls(SAMPLE_ROWS, fields=BLOCK_FIELDS))))
    wb.active.merge_cells("B7:B8")
    buffer = io.BytesIO()
    wb.save(buffer)
    assert "B7:B8" in _only_error(read_xlsx(spec, buffer.getvalue())).message


# --- the sheet's extent: nothing beyond the template is built -----------------------------------
TEMPLATE = template_workbook(SPEC, unit_name="第一党支部")


@pytest.mark.parametrize("coordinate", ["A1048576", "A200000"])
def test_stray_value_far_below_is_refused_quickly_naming_the_cell(coordinate):
    data = with_cell(TEMPLATE, coordinate)
    error = _only_error(within_bounds(lambda: read_xlsx(SPEC, data)))
    assert f"Cell {coordinate} is outside the template" in error.message
    assert error.column == coordinate


def test_the_sheet_dimension_is_not_trusted():
    data = with_cell(TEMPLATE, "A200000")

    def lie(xml: bytes) -> bytes:
        xml, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:E4"/>', xml)
        assert count == 1
        return xml

    def drop(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", xml)

    for change in (lie, drop):
        error = _only_error(within_bounds(lambda c=change: read_xlsx(SPEC, rewrite_sheet(data, c))))
        assert "A200000" in error.message


def test_the_row_limit_follows_max_rows_and_the_first_cell_beyond_is_named():
    last_row, last_column = sheet_limits(SPEC, 10)
    assert last_column == len(SPEC.columns)
    data = with_cell(with_cell(TEMPLATE, f"B{last_row}", "行内"), f"C{last_row + 1}")
    error = _only_error(read_xlsx(SPEC, data, max_rows=10))
    assert f"C{last_row + 1}" in error.message and str(last_row) in error.message


def test_value_right_of_the_columns_is_refused_even_above_the_table():
    error = _only_error(read_xlsx(SPEC, with_cell(TEMPLATE, "XFD2")))
    assert "Cell XFD2 is outside the template's columns" in error.message


def test_empty_formatted_cells_far_away_do_not_make_the_reader_build_rows():
    def format_far_away(wb):
        ws = wb.active
        ws["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
        ws["A1048575"].fill = PatternFill("solid", fgColor="FFFF00")

    data = _filled(GOOD, format_far_away)
    result = within_bounds(lambda: read_xlsx(SPEC, data))
    assert result.ok, result.errors
    assert [r[ROW_KEY] for r in result.rows] == [4]


def test_merge_reaching_beyond_the_template_is_refused_before_it_is_built():
    def merge(xml: bytes) -> bytes:
        # Written into the XML: openpyxl would build the merge's cells in this test, too.
        return re.sub(rb"(<mergeCells[^>]*>)", rb'\1<mergeCell ref="E40:XFD1048576"/>', xml)

    data = rewrite_sheet(_filled(GOOD), merge)
    error = _only_error(within_bounds(lambda: read_xlsx(SPEC, data)))
    assert "E40:XFD1048576" in error.message


def test_xml_entities_in_the_workbook_are_refused():
    assert openpyxl.DEFUSEDXML  # openpyxl itself parses with defusedxml

    def laugh(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet", BILLION_LAUGHS_DTD.encode() + b"<worksheet", 1)
        return xml.replace(b"<sheetData>", b"<sheetData>&lol9;", 1)

    data = rewrite_sheet(_filled(GOOD), laugh)
    error = _only_error(within_bounds(lambda: read_xlsx(SPEC, data)))
    assert "damaged" in error.message


def test_import_limits_come_from_settings(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 2 * 1048576
    assert "expand to 3 MB" in _only_error(read_xlsx(SPEC, _bomb(3), max_ratio=10_000)).message
    settings.UPLOAD_MAX_COMPRESSION_RATIO = 10
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 20 * 1048576
    assert "expands" in _only_error(read_xlsx(SPEC, _bomb(3))).message


def test_xlsx_bomb_of_300_mb_is_refused_quickly():
    data = xlsx_bomb(TEMPLATE, 300)
    error = _only_error(within_bounds(lambda: read_xlsx(SPEC, data)))
    assert "expands" in error.message
