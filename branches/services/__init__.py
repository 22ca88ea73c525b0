"""Writes of branch life (meetings, development, relations, roster): typed functions, each in
one transaction, audited. A refused write raises ``Refused`` and changes nothing."""

from __future__ import annotations

import calendar
from datetime import date

# The services of branch life raise the portal's one refusal; their callers import it here.
from portal.errors import Refused as Refused


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def working_days(start: date, end: date, overrides: dict[date, bool] | None = None) -> int:
    """Working days from ``start`` to ``end``, both included: Monday to Friday, except the
    days in ``overrides`` ({day: is a working day}: public holidays and the weekend days
    worked in exchange, ``CalendarDay.objects.overrides``)."""
    if end < start:
        return 0
    full_weeks, rest = divmod((end - start).days + 1, 7)
    count = full_weeks * 5
    for offset in range(rest):
        if (start.toordinal() + full_weeks * 7 + offset - 1) % 7 < 5:
            count += 1
    for day, is_workday in (overrides or {}).items():
        if start <= day <= end and is_workday != (day.weekday() < 5):
            count += 1 if is_workday else -1
    return count
