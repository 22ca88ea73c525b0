"""The xlsx writer: official layout, sanitising, stacking, streaming; and the exporter registry."""

from __future__ import annotations

import datetime
import io
import math
import zipfile
from decimal import Decimal
from urllib.parse import unquote
from uuid import UUID

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from portal.exporters import (
    CHOICE,
    DATE,
    INT,
    Column,
    Exporter,
    exporters,
    get_exporter,
    register_exporter,
    unregister_exporter,
)
from portal.xlsx import XLSX_CONTENT_TYPE, write_xlsx
from portal.xlsx_http import content_disposition, xlsx_response
from portal.xlsx_layout import layout_of
from tests.xlsx_widths import assert_width

STATUS_CHOICES = [("open", "未开始"), ("doing", "进行中"), ("done", "已完成")]
FILLED_ON = datetime.date(2022, 10, 31)


class SampleExporter(Exporter):
    """A rectification-like report, small enough to read in a test."""

    identifier = "tests.sample"
    title = "整改问题及举措清单"
    columns = [
        Column("no", "序号", 6, INT),
        Column("problem", "问题描述", 30, required=True),
        Column("deadline", "完成时限", 12, DATE, required=True),
        Column("status", "状态", 10, CHOICE, choices=STATUS_CHOICES),
        Column("remarks", "备注", 16),
    ]

    def __init__(self, data=(), **kwargs):
        kwargs.setdefault("unit_name", "第一党支部")
        kwargs.setdefault("filled_on", FILLED_ON)
        super().__init__(**kwargs)
        self.data = list(data)

    def rows(self):
        return iter(self.data)


SAMPLE_ROWS = [
    [1, "理论学习不够系统", datetime.date(2022, 11, 30), "open", "立行立改"],
    [2, "组织生活会质量不高", datetime.date(2022, 12, 20), "doing", ""],
]


def _read(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_title_row_is_merged_bold_large_and_centred():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    assert ws["A1"].value == "整改问题及举措清单"
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].font.b and ws["A1"].font.sz >= 14
    assert ws["A1"].font.name == "黑体"
    assert ws["A1"].alignment.horizontal == "center"


def test_second_row_names_unit_and_fill_date():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    texts = [c.value for c in ws[2] if c.value]
    assert len(texts) == 2
    assert "第一党支部" in texts[0]
    assert "2022-10-31" in texts[1]
    assert {"A2:B2", "C2:E2"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["C2"].alignment.horizontal == "right"


def test_header_row_is_bold_bordered_filled_and_wrapped():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    assert [c.value for c in ws[3]] == ["序号", "问题描述", "完成时限", "状态", "备注"]
    for cell in ws[3]:
        assert cell.font.b
        assert cell.font.name == "宋体"
        assert {cell.border.left.style, cell.border.right.style} == {"thin"}
        assert {cell.border.top.style, cell.border.bottom.style} == {"thin"}
        assert cell.fill.fill_type == "solid"
        assert cell.alignment.wrap_text


def test_body_cells_are_bordered_wrapped_in_song_typeface_with_widths():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    assert_width(ws, "A", 6)
    assert_width(ws, "B", 30)
    assert_width(ws, "E", 16)
    problem = ws["B4"]
    assert problem.value == "理论学习不够系统"
    assert problem.font.name == "宋体"
    assert problem.alignment.wrap_text
    assert problem.border.bottom.style == "thin"
    # Empty cells keep their borders so the printed table is closed.
    assert ws["E5"].value is None
    assert ws["E5"].border.left.style == "thin"


def test_dates_are_real_dates_and_choices_show_labels():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    assert ws["C4"].value == datetime.datetime(2022, 11, 30)
    assert ws["C4"].is_date
    assert ws["C4"].number_format == "yyyy-mm-dd"
    assert ws["D4"].value == "未开始"
    assert ws["D5"].value == "进行中"
    assert ws["A5"].value == 2


def test_choice_columns_get_a_drop_down_list():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    (validation,) = ws.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"未开始,进行中,已完成"'
    assert str(validation.sqref) == "D4:D1048576"


def test_lazy_text_decimals_and_other_objects_are_written():

    uid = UUID(int=1)
    ws = _read(write_xlsx(SampleExporter([[1, gettext_lazy("Yes"), None, "open", uid]]))).active
    assert ws["B4"].value == str(gettext_lazy("Yes"))
    assert ws["E4"].value == str(uid)
    ws = _read(write_xlsx(SampleExporter([[Decimal("2.5"), "x", None, "open", ""]]))).active
    assert ws["A4"].value == 2.5


def test_aware_datetime_is_written_as_local_date():
    aware = datetime.datetime(2022, 10, 31, 17, 0, tzinfo=datetime.UTC)  # 01:00 next day +08
    ws = _read(write_xlsx(SampleExporter([[1, "x", aware, "open", ""]]))).active
    assert ws["C4"].value == datetime.datetime(2022, 11, 1)


def test_print_setup_is_a4_fit_to_width_with_repeated_header():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4  # "9" is A4
    assert ws.page_setup.orientation == "portrait"  # its columns fit the width of A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # An absent fitToWidth means 1 page (the default of the file format, ECMA-376 §18.3.1.64).
    assert (ws.page_setup.fitToWidth or 1) == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3"
    assert ws.freeze_panes == "A4"
    assert ws.print_options.horizontalCentered
    assert (ws.page_margins.left, ws.page_margins.top) == (0.5, 0.6)
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_a_sheet_wider_than_a4_portrait_prints_landscape():
    class Wide(SampleExporter):
        columns = [*SampleExporter.columns, Column("more", "更多", 40)]

    ws = _read(write_xlsx(Wide([[1, "x", None, "open", "", "y"]]))).active
    assert ws.page_setup.orientation == "landscape"


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"])
def test_formula_like_text_is_stored_as_quoted_text(text):
    data = write_xlsx(SampleExporter([[1, text, None, "open", text]]))
    ws = _read(data).active
    for ref in ("B4", "E4"):
        # XML parsers turn a raw CR into LF; either way it stays inert text.
        assert ws[ref].value == text.replace("\r", "\n") or ws[ref].value == text
        assert ws[ref].data_type == "s"
        assert ws[ref].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_plain_text_is_not_quote_prefixed():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    assert not ws["B4"].quotePrefix


def test_control_characters_are_dropped_instead_of_breaking_the_file():
    ws = _read(write_xlsx(SampleExporter([[1, "a\x01b\x0bc", None, "open", ""]]))).active
    assert ws["B4"].value == "abc"


def test_short_rows_are_padded_and_long_rows_refused():
    ws = _read(write_xlsx(SampleExporter([[1, "only two"]]))).active
    assert ws["E4"].border.right.style == "thin"
    with pytest.raises(ValueError, match="6 values for 5 columns"):
        write_xlsx(SampleExporter([[1, 2, 3, 4, 5, 6]]))


def test_several_exporters_stack_as_sheets_with_unique_short_titles():
    class LongTitle(SampleExporter):
        title = "一个非常非常长的报表标题，超过了工作表名称允许的三十一个字符的限制呀"

    data = write_xlsx(
        [SampleExporter(SAMPLE_ROWS), SampleExporter(), LongTitle(), LongTitle(SAMPLE_ROWS)]
    )
    wb = _read(data)
    titles = wb.sheetnames
    assert len(titles) == 4
    assert len({t.lower() for t in titles}) == 4
    assert all(len(t) <= 31 for t in titles)
    assert titles[0] == "整改问题及举措清单"
    assert wb[titles[3]]["A1"].value == LongTitle.title
    assert wb[titles[3]]["B5"].value == "组织生活会质量不高"


def test_write_to_path_and_file_object(tmp_path):
    path = tmp_path / "out.xlsx"
    assert write_xlsx(SampleExporter(SAMPLE_ROWS), path) is None
    assert load_workbook(path).active["B4"].value == "理论学习不够系统"
    buffer = io.BytesIO()
    write_xlsx(SampleExporter(SAMPLE_ROWS), buffer)
    assert buffer.getvalue()[:2] == b"PK"


class _Wide(Exporter):
    identifier = "tests.wide"
    title = "大量数据"
    columns = [Column("no", "序号", 8, INT), Column("text", "内容", 20)]

    def __init__(self, n):
        super().__init__(unit_name="单位", filled_on=FILLED_ON)
        self.n = n

    def rows(self):
        for i in range(self.n):
            yield (i, f"第{i}行")


def test_many_rows_stream_in_write_only_mode():
    # Big sizes and timing live in tests/perf/xlsx_export_bench.py; this shows the path works.
    data = write_xlsx(_Wide(20_000))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        # Streamed: strings inline in each row, no workbook-wide table held until the end.
        assert "xl/sharedStrings.xml" not in zf.namelist()
    wb = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(wb.active.iter_rows(min_row=4, values_only=True))
    wb.close()
    assert len(rows) == 20_000
    assert rows[-1] == (19_999, "第19999行")


@pytest.mark.django_db
def test_xlsx_response_has_utf8_chinese_filename():
    response = xlsx_response(SampleExporter(SAMPLE_ROWS))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "整改问题及举措清单_2022-10-31.xlsx"
    body = b"".join(response.streaming_content)
    assert _read(body).active["A1"].value == "整改问题及举措清单"


def test_content_disposition_keeps_an_ascii_fallback():
    value = content_disposition('报表 "2022".xlsx')
    assert 'filename="2022.xlsx"' in value or 'filename=" 2022.xlsx"' in value
    assert "filename*=UTF-8''%E6%8A%A5%E8%A1%A8%20%222022%22.xlsx" in value
    assert content_disposition("汇总.xlsx").startswith('attachment; filename="export.xlsx"')


def test_registry_registers_looks_up_and_refuses_duplicates():
    @register_exporter
    class Registered(SampleExporter):
        identifier = "tests.registered"

    try:
        assert get_exporter("tests.registered") is Registered
        assert Registered in exporters()
        register_exporter(Registered)  # idempotent for the same class

        class Impostor(SampleExporter):
            identifier = "tests.registered"

        with pytest.raises(ValueError, match="already used"):
            register_exporter(Impostor)
    finally:
        unregister_exporter("tests.registered")
    with pytest.raises(LookupError):
        get_exporter("tests.registered")


def test_column_validates_kind_and_choices():
    with pytest.raises(ValueError):
        Column("x", "X", kind="currency")
    with pytest.raises(ValueError):
        Column("x", "X", kind=CHOICE)


# --- header and footer blocks (forms with header fields) ----------------------------------------
class BlockExporter(SampleExporter):
    """The sample table with a header block above it and a footer block after the rows."""

    identifier = "tests.sample_block"
    header_columns = (
        Column("branch", "支部名称"),
        Column("count", "党员人数", kind=INT),
        Column("meaning", "品牌内涵"),
    )
    footer_columns = (
        Column("met_on", "支委会日期", kind=DATE),
        Column("status", "总体状态", kind=CHOICE, choices=STATUS_CHOICES),
    )


BLOCK_FIELDS = {
    "branch": "第一党支部",
    "count": 23,
    "meaning": "以科研攻关为主线，" * 20,
    "met_on": datetime.date(2022, 11, 15),
    "status": "doing",
}


def test_header_block_sits_between_info_row_and_table_header():

    exporter = BlockExporter(SAMPLE_ROWS, fields=BLOCK_FIELDS)
    ws = _read(write_xlsx(exporter)).active
    assert layout_of(exporter).header_row == 6
    assert [ws.cell(r, 1).value for r in (3, 4, 5)] == ["支部名称", "党员人数", "品牌内涵"]
    assert ws["C3"].value == "第一党支部"
    assert ws["C4"].value == 23
    assert [c.value for c in ws[6]] == ["序号", "问题描述", "完成时限", "状态", "备注"]
    assert ws["B7"].value == "理论学习不够系统"
    merged = {str(r) for r in ws.merged_cells.ranges}
    # label over 序号+问题描述 (6 is too narrow for a label), value over the rest
    assert {"A3:B3", "C3:E3", "A5:B5", "C5:E5"} <= merged


def test_block_cells_are_bordered_wrapped_and_tall_enough():
    ws = _read(write_xlsx(BlockExporter(SAMPLE_ROWS, fields=BLOCK_FIELDS))).active
    label, value = ws["A5"], ws["C5"]
    assert label.font.b and label.border.left.style == "thin" and label.alignment.wrap_text
    assert value.alignment.wrap_text and value.border.top.style == "thin"
    # covered cells of the merged value keep the border so the printed box is closed
    assert ws["E5"].border.right.style == "thin"
    assert ws.row_dimensions[5].height > ws.row_dimensions[3].height >= 20


def test_footer_block_follows_the_rows_and_choices_show_labels():
    ws = _read(write_xlsx(BlockExporter(SAMPLE_ROWS, fields=BLOCK_FIELDS))).active
    assert ws["A9"].value == "支委会日期"
    assert ws["C9"].value == datetime.datetime(2022, 11, 15)
    assert ws["C9"].number_format == "yyyy-mm-dd"
    assert (ws["A10"].value, ws["C10"].value) == ("总体状态", "进行中")
    (validation,) = ws.data_validations.dataValidation
    assert str(validation.sqref) == "D7:D8"  # the drop-down stops above the footer


def test_block_prints_once_and_only_the_table_header_repeats():
    ws = _read(write_xlsx(BlockExporter(SAMPLE_ROWS, fields=BLOCK_FIELDS))).active
    assert ws.print_title_rows == "$6:$6"
    assert ws.freeze_panes is None


def test_block_values_are_sanitised_like_cells():
    fields = {**BLOCK_FIELDS, "branch": '=HYPERLINK("http://x")'}
    ws = _read(write_xlsx(BlockExporter(SAMPLE_ROWS, fields=fields))).active
    assert ws["C3"].value == '=HYPERLINK("http://x")'
    assert ws["C3"].data_type == "s"


def test_exporter_without_fields_prints_empty_values_and_no_block_without_columns():
    ws = _read(write_xlsx(BlockExporter(SAMPLE_ROWS))).active
    assert ws["A3"].value == "支部名称" and ws["C3"].value is None
    plain = _read(write_xlsx(SampleExporter(SAMPLE_ROWS))).active
    assert plain["A3"].value == "序号"


# --- Printing whole: row heights, the info row, two header rows ---------------------------------
LONG_TEXT = "对照巡察反馈意见逐条梳理问题清单，明确整改措施、责任人和完成时限，做到整改到位"


def test_a_row_is_as_tall_as_its_wrapped_text_needs():
    rows = [
        [1, LONG_TEXT, None, "open", "短"],
        [2, "一行", None, "open", "x\ny\nz"],
        SAMPLE_ROWS[0],
    ]
    ws = _read(write_xlsx(SampleExporter(rows))).active
    # CJK characters count double: 39 of them in a column 30 wide take at least 3 lines
    lines = math.ceil(2 * len(LONG_TEXT) / 30)
    assert ws.row_dimensions[4].height >= lines * 15
    assert ws.row_dimensions[5].height >= 3 * 15  # three lines by their line breaks
    assert ws.row_dimensions[6].height is None  # text of one line keeps the default height


def test_header_row_is_as_tall_as_its_longest_label():
    class LongHeader(SampleExporter):
        columns = [Column("no", "序号及问题的来源说明文字", 6), *SampleExporter.columns[1:]]

    ws = _read(write_xlsx(LongHeader(SAMPLE_ROWS))).active
    assert ws.row_dimensions[3].height >= math.ceil(2 * 12 / 6) * 15


def test_reporting_unit_gets_the_columns_it_needs_and_the_date_the_rest():
    unit_name = "细胞生物学与分子生物学研究中心第一党支部"
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS, unit_name=unit_name))).active
    ranges = [r for r in ws.merged_cells.ranges if r.min_row == 2]
    unit = next(r for r in ranges if r.min_col == 1)
    date = next(r for r in ranges if r.min_col == unit.max_col + 1)
    assert ws["A2"].value.endswith(unit_name)
    assert ws.cell(2, date.min_col).value.startswith("填报日期")
    # the unit's area is as wide as its text (CJK counting double), or the row holds 2 lines
    width = sum(col.width for col in SampleExporter.columns[: unit.max_col])
    assert width >= 2 * len(ws["A2"].value) or ws.row_dimensions[2].height >= 2 * 15


def test_an_undated_sheet_leaves_the_date_blank():
    ws = _read(write_xlsx(SampleExporter(SAMPLE_ROWS, filled_on=None))).active
    dated = next(c.value for c in ws[2] if c.value and c.value.startswith("填报日期"))
    assert dated == "填报日期："


class GroupedExporter(SampleExporter):
    columns = [
        Column("branch", "党支部", 16),
        Column("status_1", "状态", 10, group="1 学习贯彻党的二十大精神"),
        Column("date_1", "报送日期", 12, DATE, group="1 学习贯彻党的二十大精神"),
        Column("status_2", "状态", 10, group="2 整改"),
        Column("date_2", "报送日期", 12, DATE, group="2 整改"),
    ]


def test_grouped_columns_get_a_second_header_row():
    exporter = GroupedExporter(
        [["甲党支部", "已报送", datetime.date(2022, 10, 30), "未开始", None]]
    )
    ws = _read(write_xlsx(exporter)).active
    assert layout_of(exporter).first_data_row == 5
    assert [c.value for c in ws[3]] == ["党支部", "1 学习贯彻党的二十大精神", None, "2 整改", None]
    assert [c.value for c in ws[4]] == [None, "状态", "报送日期", "状态", "报送日期"]
    assert {"B3:C3", "D3:E3"} <= {str(r) for r in ws.merged_cells.ranges}
    # the lone column's label reads as one cell over both rows: no border between them
    assert ws["A3"].border.bottom.style is None and ws["A4"].border.top.style is None
    assert ws["A4"].fill.fgColor.rgb == ws["A3"].fill.fgColor.rgb
    assert ws["A5"].value == "甲党支部"
    assert ws.print_title_rows == "$1:$4" and ws.freeze_panes == "A5"
