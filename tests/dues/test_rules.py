"""The dues rules (DOMAIN.md §7): every bracket edge, rounding to the fen, schedules by date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dues import rules_data
from dues.models import DuesCategory, MonthlyBase, RateBracket, RateSchedule
from dues.rules import Bracket, Schedule, Schedules, due_for, to_fen

pytestmark = pytest.mark.django_db

D = Decimal


def _default() -> Schedule:
    return Schedules().on(date(2025, 1, 1))


@pytest.mark.parametrize(
    ("base", "due"),
    [
        ("0", "0.00"),
        ("2999.99", "15.00"),  # 14.99995 → 15.00
        ("3000", "15.00"),  # ≤ 3000: 0.5 %
        ("3000.01", "30.00"),  # above: 1 %
        ("5000", "50.00"),
        ("5000.01", "75.00"),  # 1.5 %: 75.00015
        ("10000", "150.00"),
        ("10000.01", "200.00"),  # 2 %: 200.0002
        ("25000", "500.00"),
    ],
)
def test_in_service_brackets_at_every_edge(base, due):
    assert _default().monthly_due(DuesCategory.IN_SERVICE, D(base)) == D(due)


@pytest.mark.parametrize(
    ("base", "due"),
    [("5000", "25.00"), ("5000.01", "50.00"), ("4000", "20.00"), ("8000", "80.00")],
)
def test_retired_brackets_at_the_edge(base, due):
    assert _default().monthly_due(DuesCategory.RETIRED, D(base)) == D(due)


def test_students_and_members_without_income_pay_a_fixed_amount_whatever_the_base():
    schedule = _default()
    assert schedule.monthly_due(DuesCategory.STUDENT, None) == D("0.20")
    assert schedule.monthly_due(DuesCategory.NO_INCOME, D("9999")) == D("0.20")
    assert schedule.monthly_due(DuesCategory.EXEMPT, None) == D("0.00")


def test_a_percentage_category_without_a_base_cannot_be_told():
    assert _default().monthly_due(DuesCategory.IN_SERVICE, None) is None


@pytest.mark.parametrize(
    ("base", "due"),
    [
        ("4050.50", "40.51"),  # 40.505 rounds half up
        ("4050.49", "40.50"),  # 40.5049
        ("3333.33", "33.33"),
        ("6001", "90.02"),  # 90.015 rounds half up
        ("6000.99", "90.01"),  # 90.01485
        ("10033", "200.66"),
    ],
)
def test_rounding_to_the_fen_half_up(base, due):
    assert _default().monthly_due(DuesCategory.IN_SERVICE, D(base)) == D(due)


def test_to_fen_rounds_half_up_not_to_even():
    assert to_fen(D("0.125")) == D("0.13")
    assert to_fen(D("0.135")) == D("0.14")
    assert to_fen(D("0.1249")) == D("0.12")


def test_the_default_schedule_is_data_and_matches_its_module():
    schedule = RateSchedule.objects.get()
    assert schedule.valid_from == date.fromisoformat(rules_data.VALID_FROM)
    assert schedule.review_month == rules_data.REVIEW_MONTH
    stored = {(b.category, b.upper, b.rate, b.fixed_amount) for b in schedule.brackets.all()}

    def dec(value):
        return None if value is None else D(value)

    assert stored == {(c, dec(u), dec(r), dec(f)) for c, u, r, f in rules_data.BRACKETS}
    assert len(stored) == len(rules_data.BRACKETS)


def test_a_new_schedule_applies_from_its_valid_from_month():
    new = RateSchedule.objects.create(valid_from=date(2025, 7, 1), review_month=7)
    RateBracket.objects.create(schedule=new, category=DuesCategory.IN_SERVICE, rate=D("3"))
    schedules = Schedules()
    assert schedules.on(date(2025, 6, 1)).monthly_due(DuesCategory.IN_SERVICE, D("4000")) == D(
        "40.00"
    )
    assert schedules.on(date(2025, 7, 1)).monthly_due(DuesCategory.IN_SERVICE, D("4000")) == D(
        "120.00"
    )
    assert schedules.review_month(date(2025, 8, 1)) == 7
    assert schedules.on(date(2000, 1, 1)) is None


def test_a_change_of_base_in_the_year_applies_from_its_month():
    bases = [
        MonthlyBase(effective_from=date(2025, 1, 1), category="in_service", amount=D("4000")),
        MonthlyBase(effective_from=date(2025, 7, 1), category="in_service", amount=D("6000")),
    ]
    schedules = Schedules()
    assert due_for(bases, date(2024, 12, 1), schedules) is None
    assert due_for(bases, date(2025, 6, 1), schedules) == D("40.00")
    assert due_for(bases, date(2025, 7, 1), schedules) == D("90.00")
    assert due_for(bases, date(2025, 12, 1), schedules) == D("90.00")


def test_brackets_are_read_in_order_of_their_limits_whatever_the_order_given():
    schedule = Schedule(
        date(2020, 1, 1),
        1,
        (
            Bracket("in_service", None, D("2"), None),
            Bracket("in_service", D("3000"), D("0.5"), None),
        ),
    )
    assert schedule.monthly_due("in_service", D("3000")) == D("15.00")
    assert schedule.monthly_due("in_service", D("3001")) == D("60.02")
