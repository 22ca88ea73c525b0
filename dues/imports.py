"""The dues bases read back from a filled-in template (``DuesBaseExporter``'s layout).

``portal.xlsx_import.read_xlsx`` refuses hostile files and checks each cell by its column;
``check_rows`` then checks what the cells mean: the member on the branch's roster (by name, and
by date of birth when two share a name), the base a number of yuan with at most two decimals
within bounds, a base for the categories that need one, a member and month once in the file.
Every problem is named by Excel row and column; one bad row and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from branches.models import Organisation, Person
from dues.exporters import DuesBaseExporter
from dues.models import BASED_CATEGORIES, MAX_BASE
from dues.rules import month_of
from dues.services import BaseRow
from portal.xlsx_import import ROW_KEY, ImportSpec, RowError


def spec() -> ImportSpec:
    return ImportSpec.for_exporter(DuesBaseExporter)


def _header(key: str) -> str:
    return next(str(c.header) for c in DuesBaseExporter.columns if c.key == key)


def parse_amount(value: Any) -> Decimal | None:
    """A base as typed in a cell: blank is None; anything but a number of yuan with at most
    two decimals, from 0 to ``MAX_BASE``, is ``ValueError`` with the user's message."""
    text = str(value if value is not None else "").strip().replace(",", "")
    if text.startswith("¥"):
        text = text[1:].strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("%(value)s is not an amount of yuan.") % {"value": value}) from None
    if not amount.is_finite():
        raise ValueError(_("%(value)s is not an amount of yuan.") % {"value": value})
    if amount < 0 or amount > MAX_BASE:
        raise ValueError(
            _("The monthly base must be between 0 and %(max)s yuan.") % {"max": MAX_BASE}
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(_("The monthly base has at most two decimal places (fen)."))
    return amount.quantize(Decimal("0.01"))


def check_rows(
    branch: Organisation, rows: Sequence[dict[str, Any]]
) -> tuple[list[BaseRow], list[RowError]]:
    """The rows to save, or the errors (row by row) that refuse the whole file."""
    people: dict[str, list[Person]] = {}
    for person in Person.objects.filter(branch=branch).active().members():
        people.setdefault(person.name, []).append(person)
    found: list[BaseRow] = []
    errors: list[RowError] = []
    seen: set[tuple[int, date]] = set()
    for row in rows:
        number = row[ROW_KEY]
        problems = len(errors)
        person = _person(people, row, number, errors)
        try:
            amount = parse_amount(row.get("amount"))
        except ValueError as problem:
            errors.append(RowError(number, _header("amount"), str(problem)))
            amount = None
        else:
            if amount is None and row.get("category") in BASED_CATEGORIES:
                errors.append(
                    RowError(
                        number,
                        _header("amount"),
                        _("Enter the monthly base for this category."),
                    )
                )
        month: date | None = row.get("month")
        if person is not None and month is not None:
            key = (person.pk, month_of(month))
            if key in seen:
                errors.append(
                    RowError(
                        number,
                        _header("name"),
                        _("This member and month appear twice in the file."),
                    )
                )
            seen.add(key)
        if len(errors) == problems and person is not None and month is not None:
            found.append(
                BaseRow(person, month_of(month), row["category"], amount, row.get("note") or "")
            )
    return (found if not errors else []), errors


def _person(people, row, number, errors) -> Person | None:
    candidates = people.get(row.get("name") or "", [])
    if row.get("birth_date") and len(candidates) > 1:
        candidates = [p for p in candidates if p.birth_date == row["birth_date"]]
    if not candidates:
        errors.append(
            RowError(number, _header("name"), _("No active member of this branch has this name."))
        )
        return None
    if len(candidates) > 1:
        errors.append(
            RowError(
                number,
                _header("name"),
                _("Two members have this name: add the date of birth."),
            )
        )
        return None
    return candidates[0]


def to_session(rows: Sequence[BaseRow]) -> list[dict[str, Any]]:
    return [
        {
            "person": r.person.pk,
            "month": r.month.isoformat(),
            "category": r.category,
            "amount": str(r.amount) if r.amount is not None else None,
            "note": r.note,
        }
        for r in rows
    ]


def from_session(branch: Organisation, staged: Sequence[dict[str, Any]]) -> list[BaseRow]:
    """The staged rows again, for members still on the branch (the others are dropped)."""
    people = Person.objects.filter(branch=branch).active().in_bulk([r["person"] for r in staged])
    return [
        BaseRow(
            people[r["person"]],
            date.fromisoformat(r["month"]),
            r["category"],
            Decimal(r["amount"]) if r["amount"] is not None else None,
            r["note"],
        )
        for r in staged
        if r["person"] in people
    ]
