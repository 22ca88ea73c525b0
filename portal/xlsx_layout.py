"""The official layout of every sheet: where each row goes, what its cells look like, column
widths and print setup (DESIGN §6), shared by the writer (``portal.xlsx``) and the import
templates:

    row 1  title, merged across all columns (黑体, bold, 16 pt, centred)
    row 2  填报单位：…  (left half)           填报日期：…  (right half)
    [block] one row per header field of a form (``Exporter.header_fields()``): the label
           (bold, grey) over the first columns, the value merged over the rest; bordered,
           wrapped, each row tall enough for its text
    row 3  header: bold, bordered, grey fill, wrapped, centred; repeated on every printed page
           (row 3 + the block's rows when the form has a header block)
    row 4… data: 宋体, bordered, wrapped; dates as real dates formatted yyyy-mm-dd
    [block] the footer fields (``Exporter.footer_fields()``), laid out like the header block

Printing: A4 landscape, fit to one page wide; panes frozen below the header (not when a
header block is present: a frozen area taller than the window would hide the data).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from portal.exporters import CHOICE, Column, Exporter

# 1-based row numbers, as a person (and openpyxl) counts them.
TITLE_ROW = 1
INFO_ROW = 2
HEADER_ROW = 3
FIRST_DATA_ROW = 4

BODY_FONT_NAME = "宋体"  # SimSun: the usual body face of official forms
TITLE_FONT_NAME = "黑体"  # SimHei: the usual title face
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm:ss"
HEADER_FILL = "D9D9D9"
LABEL_FILL = "F2F2F2"
LABEL_MIN_WIDTH = 12  # a block label spans columns until it is at least this wide
LINE_HEIGHT = 15  # points per wrapped line of 11 pt text
MAX_ROW_HEIGHT = 409  # Excel's limit


@dataclass(frozen=True)
class Layout:
    """Where the table of one sheet starts: after the title, info row and header block."""

    header_row: int = HEADER_ROW
    first_data_row: int = FIRST_DATA_ROW


def layout_of(exporter: Exporter, header_pairs: Sequence | None = None) -> Layout:
    """The table position of ``exporter``'s sheet (one block row per header field)."""
    if header_pairs is None:
        header_pairs = exporter.header_fields()
    block = len(header_pairs)
    return Layout(HEADER_ROW + block, FIRST_DATA_ROW + block)


def label_span(columns: Sequence[Column]) -> int:
    """How many leading columns a block label covers; the value takes the rest."""
    if len(columns) < 2:
        return 1
    width = 0.0
    for span, col in enumerate(columns[:-1], 1):
        width += col.width
        if width >= LABEL_MIN_WIDTH:
            return span
    return len(columns) - 1


def text_height(text: str, width: float) -> float:
    """Row height for ``text`` wrapped in a cell ``width`` characters wide (CJK counts 2)."""
    lines = 0
    for line in text.split("\n"):
        units = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in line)
        lines += max(1, math.ceil(units / max(width - 1, 1)))
    return min(max(20, LINE_HEIGHT * lines + 5), MAX_ROW_HEIGHT)


class Formats:
    """The cell formats of one workbook, built once and shared by all its sheets and cells."""

    def __init__(self, wb: xlsxwriter.Workbook):
        self._wb = wb
        self._props: dict[int, dict[str, Any]] = {}
        self._quoted: dict[int, Format] = {}
        body = {"font_name": BODY_FONT_NAME, "font_size": 11, "valign": "vcenter"}
        boxed = {**body, "border": 1, "border_color": "#000000"}
        heading = {**boxed, "bold": True, "align": "center", "text_wrap": True, "pattern": 1}
        self.title = self._add(
            {
                "font_name": TITLE_FONT_NAME,
                "font_size": 16,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
            }
        )
        self.info_left = self._add({**body, "align": "left"})
        self.info_right = self._add({**body, "align": "right"})
        self.header = self._add({**heading, "bg_color": "#" + HEADER_FILL})
        self.label = self._add({**heading, "bg_color": "#" + LABEL_FILL})
        self.text = self._add({**boxed, "text_wrap": True})
        self.number = self._add({**boxed, "align": "right"})
        self.date = self._add({**boxed, "align": "center", "num_format": DATE_FORMAT})
        self.datetime = self._add({**boxed, "align": "center", "num_format": DATETIME_FORMAT})
        self.time = self._add({**boxed, "align": "center", "num_format": TIME_FORMAT})

    def _add(self, props: dict[str, Any]) -> Format:
        fmt = self._wb.add_format(props)
        self._props[id(fmt)] = props
        return fmt

    def quoted(self, fmt: Format) -> Format:
        """``fmt`` with the quote prefix: the twin used for formula-looking text."""
        twin = self._quoted.get(id(fmt))
        if twin is None:
            twin = self._wb.add_format({**self._props[id(fmt)], "quote_prefix": True})
            self._quoted[id(fmt)] = twin
        return twin


def setup_sheet(ws: Worksheet, exporter: Exporter, layout: Layout) -> None:
    """Column widths and print setup: everything that is not a cell."""
    for idx, col in enumerate(exporter.columns):
        ws.set_column(idx, idx, col.width)
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    if layout.header_row == HEADER_ROW:
        ws.repeat_rows(TITLE_ROW - 1, HEADER_ROW - 1)
        ws.freeze_panes(FIRST_DATA_ROW - 1, 0)
    else:
        # With a header block only the table header repeats: the block is printed once.
        ws.repeat_rows(layout.header_row - 1)


def add_choice_lists(ws: Worksheet, exporter: Exporter, first_row: int, last_row: int) -> None:
    """Drop-down lists on choice columns (1-based rows), so a filled template carries only
    valid labels.

    Excel keeps an inline list formula to 255 characters and splits on commas, so longer or
    comma-bearing label sets get no drop-down (the importer still checks every value).
    Validations are written when the workbook closes, so they can be added after the rows.
    """
    for idx, col in enumerate(exporter.columns):
        if col.kind != CHOICE:
            continue
        labels = [str(label) for _value, label in col.choices]
        if len('"' + ",".join(labels) + '"') > 255 or any("," in lb or '"' in lb for lb in labels):
            continue
        ws.data_validation(
            first_row - 1,
            idx,
            last_row - 1,
            idx,
            {"validate": "list", "source": labels, "ignore_blank": True, "show_error": True},
        )
