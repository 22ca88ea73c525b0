"""Public holidays and exchanged working days (调休) from the published calendar.

The ``chinesecalendar`` package carries the State Council's notices for the years it covers;
its days are loaded as ``CalendarDay`` rows marked ``package``. The office's own rows always
win: loading again adds the missing days and refreshes only the package's rows. A year the
package does not cover has no rows until the office enters them, and the working-day check
then warns instead of counting Monday to Friday (``CalendarDay.objects.years_without_data``).
"""

from __future__ import annotations

from datetime import date

import chinese_calendar
from django.db import transaction

from branches.models import CalendarDay, CalendarSource


def published_days() -> dict[date, tuple[bool, str]]:
    """{day: (is a working day, occasion)} for every exceptional day the package knows."""
    days = {day: (False, str(name)) for day, name in chinese_calendar.holidays.items()}
    days.update({day: (True, str(name)) for day, name in chinese_calendar.workdays.items()})
    return days


def published_years() -> tuple[int, int]:
    days = published_days()
    return min(days).year, max(days).year


@transaction.atomic
def load_published_calendar(calendar_day=CalendarDay) -> int:
    """Load the package's days; returns how many rows were created or refreshed.

    ``calendar_day`` lets a data migration pass its historical model.
    """
    days = published_days()
    existing = {row.day: row for row in calendar_day.objects.filter(day__in=list(days))}
    new, changed = [], []
    for day, (is_workday, name) in sorted(days.items()):
        row = existing.get(day)
        if row is None:
            new.append(
                calendar_day(
                    day=day, is_workday=is_workday, name=name[:60], source=CalendarSource.PACKAGE
                )
            )
        elif row.source == CalendarSource.PACKAGE and (row.is_workday, row.name) != (
            is_workday,
            name[:60],
        ):
            row.is_workday, row.name = is_workday, name[:60]
            changed.append(row)
    calendar_day.objects.bulk_create(new)
    calendar_day.objects.bulk_update(changed, ["is_workday", "name"])
    return len(new) + len(changed)
