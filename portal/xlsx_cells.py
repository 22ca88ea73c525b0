"""One cell of a filled-in template to its stored value, by its column's kind (point 8 of
``portal.xlsx_import``'s checks): required, integer, date (real date cells, or text as
2022-10-31, 2022/10/31, 2022.10.31, 2022年10月31日, within the portal's date window of
``portal.validation``), choice (label → stored value). Formulas and control characters are
refused; any other text is kept verbatim.
"""

from __future__ import annotations

import datetime
import decimal
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.exporters import CHOICE, DATE, INT, MONEY, TEXT, Column
from portal.validation import validate_sane_date
from portal.xlsx_file_checks import is_blank

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def convert_cell(column: Column, cell) -> Any:
    """The stored value of one cell, or ``ValueError`` with a user-facing message."""
    if cell is not None and cell.data_type == "f":
        raise ValueError(
            _("Cell %(cell)s contains a formula; type the value itself.")
            % {"cell": cell.coordinate}
        )
    value = None if cell is None else cell.value
    if isinstance(value, str):
        value = value.strip()
    if is_blank(value):
        if column.required:
            raise ValueError(_("This column is required."))
        return "" if column.kind == TEXT else None
    if column.kind == DATE:
        return _to_date(value)
    if column.kind == INT:
        return _to_int(value)
    if column.kind == MONEY:
        return _to_money(value)
    text = _to_text(value)
    if column.kind == CHOICE:
        return _to_choice(column, text)
    return text


def _to_money(value) -> decimal.Decimal:
    """Yuan to the fen: 22.5, "22.50" and "￥22.5" alike; anything else is refused."""
    text = str(value).strip().lstrip("￥¥").replace(",", "")
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation as exc:
        raise ValueError(_("Enter an amount in yuan, such as 22.50.")) from exc
    if not amount.is_finite() or amount != amount.quantize(decimal.Decimal("0.01")):
        raise ValueError(_("Enter an amount in yuan, such as 22.50."))
    return amount


def _to_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 13800000000 typed into a text column
    elif isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    if _CONTROL_CHARS.search(text):
        raise ValueError(_("The text contains control characters; retype it."))
    return text


def _to_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError(_("%(value)s is not a whole number.") % {"value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value):
        return int(value)
    raise ValueError(_("%(value)s is not a whole number.") % {"value": value})


def _to_date(value) -> datetime.date:
    """The date of a cell, within the portal's window (``portal.validation``)."""
    day = _parse_date(value)
    try:
        validate_sane_date(day)
    except ValidationError as problem:
        raise ValueError(" ".join(problem.messages)) from problem
    return day


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        for pattern in _DATE_PATTERNS:
            match = pattern.match(value)
            if match:
                year, month, day = (int(g) for g in match.groups() if g.isdigit())
                try:
                    return datetime.date(year, month, day)
                except ValueError:
                    break
    raise ValueError(_("%(value)s is not a date; write it like 2022-10-31.") % {"value": value})


def _to_choice(column: Column, text: str) -> Any:
    for stored, label in column.choices:
        if text == str(label):
            return stored
    raise ValueError(
        _("%(value)s is not one of: %(choices)s.")
        % {"value": text, "choices": ", ".join(str(label) for _v, label in column.choices)}
    )
