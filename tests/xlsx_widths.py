"""Column widths as Excel shows them, from the width stored in the file.

The file stores a column's width with the cell padding included (a column Excel shows as 6
characters wide is stored as 6.7109375), rounded to whole pixels of the default font, whose
digits are 7 pixels wide: so a width is shown to within one pixel, 1/7 of a character.
"""

from __future__ import annotations

DIGIT_PX = 7
PADDING_PX = 5


def shown_width(ws, letter: str) -> float:
    """The width of column ``letter`` in characters, as Excel's column-width box shows it."""
    pixels = round(ws.column_dimensions[letter].width * DIGIT_PX)
    return (pixels - PADDING_PX) / DIGIT_PX


def assert_width(ws, letter: str, width: float) -> None:
    assert abs(shown_width(ws, letter) - width) <= 1 / DIGIT_PX, (letter, shown_width(ws, letter))
