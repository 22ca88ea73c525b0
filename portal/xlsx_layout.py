"""The official layout of every sheet: where each row goes, what its cells look like, column
widths and print setup (DESIGN §6), shared by the writer (``portal.xlsx``) and the import
templates:

    row 1  title, merged across all columns (黑体, bold, 16 pt, centred)
    row 2  填报单位：…  (left half)           填报日期：…  (right half)
    [block] one row per header field of a form (``Exporter.header_fields()``): the label
           (bold, grey) over the first columns, the value merged over the rest; bordered,
           wrapped, each row tall enough for its text
    row 3  header: bold, bordered, grey fill, wrapped, centred; repeated on every printed page
           (row 3 + the block's rows when the form has a header block). Columns of a ``group``
           take two rows: the group's label merged over them, their own labels below; the
           other columns' labels span both rows (no border between their two cells).
    row 4… data: 宋体, bordered, wrapped; dates as real dates formatted yyyy-mm-dd
    [block] the footer fields (``Exporter.footer_fields()``), laid out like the header block

Every row is as tall as its text needs in its column (``text_height``): Excel and LibreOffice
do not grow a row for wrapped text they did not lay out themselves, and print what does not fit
cut off or over the next row.

Printing: A4, portrait when the columns fit its width and landscape otherwise, fit to one page
wide, page numbers in the footer; panes frozen below the header (not when a header block is
present: a frozen area taller than the window would hide the data).
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
MONEY_FORMAT = "0.00"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm:ss"
HEADER_FILL = "D9D9D9"
LABEL_FILL = "F2F2F2"
LABEL_MIN_WIDTH = 12  # a block label spans columns until it is at least this wide
FONT_SIZE = 11
TITLE_FONT_SIZE = 16
# Line height over font size of the CJK faces as LibreOffice sets them (Noto CJK: 1.45; SimSun
# in Excel is tighter, so a row is a little roomy there rather than cut here).
LINE_SPACING = 1.45
ROW_PADDING = 5  # points above and below the lines of a cell, together
MIN_ROW_HEIGHT = 20
MAX_ROW_HEIGHT = 409  # Excel's limit
# A column ``w`` characters wide is 7w + 5 pixels of the default font (Calibri 11, 96 dpi);
# a cell keeps about 2 points of margin on each side.
PIXEL_PT = 0.75
CELL_MARGIN_PT = 4
# Widths in em of a character: CJK characters and punctuation (“”、… are full width in CJK
# fonts) take a whole em, others about half; the fill leaves room for lines broken at words.
NARROW_EM = 0.55
BOLD_NARROW_EM = 0.6
LINE_FILL = 0.95
# Printable width of A4 portrait between 0.5" margins, in points: wider sheets print landscape.
A4_PORTRAIT_ROOM = 595 - 72


@dataclass(frozen=True)
class Layout:
    """Where the table of one sheet starts: after the title, info row and header block."""

    header_row: int = HEADER_ROW
    first_data_row: int = FIRST_DATA_ROW

    @property
    def last_header_row(self) -> int:
        return self.first_data_row - 1


def layout_of(exporter: Exporter, header_pairs: Sequence | None = None) -> Layout:
    """The table position of ``exporter``'s sheet (one block row per header field, and a
    second header row for grouped columns)."""
    if header_pairs is None:
        header_pairs = exporter.header_fields()
    block = len(header_pairs)
    extra = header_rows(exporter.columns) - 1
    return Layout(HEADER_ROW + block, FIRST_DATA_ROW + block + extra)


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


def column_points(width: float) -> float:
    """The width in points of a column ``width`` characters wide."""
    return (width * 7 + 5) * PIXEL_PT


def text_lines(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> int:
    """How many lines ``text`` takes wrapped in a cell ``width`` characters wide.

    Wide characters are counted from the UTF-8 length, which is fast for every export row:
    ASCII takes 1 byte, CJK characters and punctuation (U+0800 on, “”、… included) 3, so
    each extra pair of bytes is one wide character; the 2-byte letters (é, ·, Cyrillic)
    count as half wide, 4-byte ones (emoji) as more than wide, both on the safe side.
    """
    room = max((column_points(width) - CELL_MARGIN_PT) * LINE_FILL, size)
    narrow = (BOLD_NARROW_EM if bold else NARROW_EM) * size
    lines = 0
    for line in text.split("\n"):
        chars = len(line)
        wide = (len(line.encode("utf-8", "surrogatepass")) - chars) / 2
        used = wide * size + (chars - wide) * narrow
        lines += max(1, math.ceil(used / room))
    return lines


def one_line_chars(width: float, size: float = FONT_SIZE) -> int:
    """Text of at most this many characters fits one line of the column, whatever they are."""
    room = max((column_points(width) - CELL_MARGIN_PT) * LINE_FILL, size)
    return int(room // size)


def lines_height(lines: int, size: float = FONT_SIZE) -> float:
    return min(max(MIN_ROW_HEIGHT, lines * size * LINE_SPACING + ROW_PADDING), MAX_ROW_HEIGHT)


def text_height(text: str, width: float, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Row height in points for ``text`` wrapped in a cell ``width`` characters wide."""
    return lines_height(text_lines(text, width, size, bold), size)


def header_rows(columns: Sequence[Column]) -> int:
    """Rows of the table header: two when some columns form a group."""
    return 2 if any(col.group is not None for col in columns) else 1


def column_groups(columns: Sequence[Column]) -> list[tuple[int, int, Any]]:
    """``(first, last, group)`` per run of columns; ``group`` is None for a lone column."""
    runs: list[tuple[int, int, Any]] = []
    for idx, col in enumerate(columns):
        if col.group is not None and runs and runs[-1][2] is not None:
            first, _last, group = runs[-1]
            if str(group) == str(col.group):
                runs[-1] = (first, idx, group)
                continue
        runs.append((idx, idx, col.group))
    return runs


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
                "font_size": TITLE_FONT_SIZE,
                "bold": True,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.info_left = self._add({**body, "align": "left", "text_wrap": True})
        self.info_right = self._add({**body, "align": "right", "text_wrap": True})
        self.header = self._add({**heading, "bg_color": "#" + HEADER_FILL})
        # The two halves of a header cell spanning both rows of a two-row header.
        self.header_top = self._add({**heading, "bg_color": "#" + HEADER_FILL, "bottom": 0})
        self.header_bottom = self._add({**heading, "bg_color": "#" + HEADER_FILL, "top": 0})
        self.label = self._add({**heading, "bg_color": "#" + LABEL_FILL})
        self.text = self._add({**boxed, "text_wrap": True})
        self.number = self._add({**boxed, "align": "right"})
        self.money = self._add({**boxed, "align": "right", "num_format": MONEY_FORMAT})
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


def setup_sheet(ws: Worksheet, exporter: Exporter, layout: Layout, page_footer: str) -> None:
    """Column widths and print setup: everything that is not a cell. ``page_footer`` is the
    page-number footer in Excel's header/footer codes (``&P`` page, ``&N`` pages)."""
    for idx, col in enumerate(exporter.columns):
        ws.set_column(idx, idx, col.width)
    ws.set_paper(9)  # A4
    if sum(column_points(col.width) for col in exporter.columns) > A4_PORTRAIT_ROOM:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.set_footer(f"&C{page_footer}", {"margin": 0.3})
    if layout.header_row == HEADER_ROW:
        ws.repeat_rows(TITLE_ROW - 1, layout.last_header_row - 1)
        ws.freeze_panes(layout.first_data_row - 1, 0)
    else:
        # With a header block only the table header repeats: the block is printed once.
        ws.repeat_rows(layout.header_row - 1, layout.last_header_row - 1)


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
