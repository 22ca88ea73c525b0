"""Public holidays from the chinesecalendar package: loaded as data, the office's rows win, and
a year without data warns on the public notice instead of counting Monday to Friday."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from branches.models import CalendarDay, CalendarSource
from branches.services import working_days
from branches.services.holidays import load_published_calendar
from tests.builders.branch_life import advance, case_up_to

pytestmark = pytest.mark.django_db


def test_the_published_days_are_loaded_by_the_migration(db):
    national_day = CalendarDay.objects.get(day=date(2024, 10, 1))
    assert not national_day.is_workday and national_day.source == CalendarSource.PACKAGE
    exchanged = CalendarDay.objects.get(day=date(2024, 9, 29))  # a Sunday worked
    assert exchanged.is_workday
    overrides = CalendarDay.objects.overrides(date(2024, 9, 30), date(2024, 10, 8))
    # 30 Sep and 8 Oct are the only working days of the Golden Week 2024.
    assert working_days(date(2024, 9, 30), date(2024, 10, 8), overrides) == 2


def test_reloading_keeps_the_office_rows(db):
    CalendarDay.objects.filter(day=date(2024, 10, 1)).update(
        is_workday=True, name="本所值班", source=CalendarSource.OFFICE
    )
    CalendarDay.objects.filter(day=date(2024, 10, 2)).delete()
    CalendarDay.objects.filter(day=date(2024, 10, 3)).update(is_workday=True)
    call_command("load_holidays", stdout=None)
    assert CalendarDay.objects.get(day=date(2024, 10, 1)).name == "本所值班"
    assert not CalendarDay.objects.get(day=date(2024, 10, 2)).is_workday
    assert not CalendarDay.objects.get(day=date(2024, 10, 3)).is_workday
    assert load_published_calendar() == 0


def test_a_year_without_holidays_warns_on_the_public_notice(tree):
    CalendarDay.objects.filter(day__year=2021).delete()
    case = case_up_to(tree["branch_a"], "training")  # trained 2021-11-10
    taken = advance(case, "committee_review", date(2021, 11, 15), end_date=date(2021, 11, 19))
    assert any("2021" in w for w in taken.warnings)


def test_a_year_with_holidays_does_not_warn(tree):
    case = case_up_to(tree["branch_a"], "training")
    taken = advance(case, "committee_review", date(2021, 11, 15), end_date=date(2021, 11, 19))
    assert taken.warnings == []


def test_years_without_data_are_named(db):
    assert CalendarDay.objects.years_without_data(date(2026, 12, 1), date(2027, 1, 10)) == [2027]
