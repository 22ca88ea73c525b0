"""The dues rules as pure functions: which schedule and bracket apply, and the monthly amount.

A bracket holds the bases up to and including its upper limit, so with the default schedule a
base of exactly 3000.00 pays 0.5 % and 3000.01 pays 1 %. The amount is rounded to the fen,
half up (0.005 → 0.01).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dues.models import BASED_CATEGORIES, MonthlyBase, RateBracket, RateSchedule

FEN = Decimal("0.01")
HUNDRED = Decimal("100")


def to_fen(amount: Decimal) -> Decimal:
    """``amount`` rounded to the fen, half up."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last``, both included (as first days)."""
    found, month = [], month_of(first)
    while month <= last:
        found.append(month)
        month = next_month(month)
    return found


@dataclass(frozen=True)
class Bracket:
    category: str
    upper: Decimal | None
    rate: Decimal | None
    fixed_amount: Decimal | None


@dataclass(frozen=True)
class Schedule:
    valid_from: date
    review_month: int
    brackets: tuple[Bracket, ...]

    def bracket_for(self, category: str, base: Decimal | None) -> Bracket | None:
        rows = [b for b in self.brackets if b.category == category]
        rows.sort(key=lambda b: (b.upper is None, b.upper or 0))
        for bracket in rows:
            if bracket.fixed_amount is not None:
                return bracket
            if base is not None and (bracket.upper is None or base <= bracket.upper):
                return bracket
        return None

    def monthly_due(self, category: str, base: Decimal | None) -> Decimal | None:
        """The month's dues, or None when they cannot be told (a base missing)."""
        bracket = self.bracket_for(category, base)
        if bracket is None:
            return None
        if bracket.fixed_amount is not None:
            return to_fen(bracket.fixed_amount)
        if base is None or bracket.rate is None:
            return None
        return to_fen(base * bracket.rate / HUNDRED)


class Schedules:
    """All schedules, loaded once (two queries), answering for any month."""

    def __init__(self, schedules: Iterable[Schedule] | None = None):
        if schedules is None:
            schedules = load_schedules()
        self.items = sorted(schedules, key=lambda s: s.valid_from, reverse=True)

    def on(self, month: date) -> Schedule | None:
        for schedule in self.items:
            if schedule.valid_from <= month:
                return schedule
        return None

    def review_month(self, month: date) -> int:
        schedule = self.on(month)
        return schedule.review_month if schedule else 1


def load_schedules() -> list[Schedule]:
    brackets: dict[int, list[Bracket]] = {}
    for row in RateBracket.objects.all():
        brackets.setdefault(row.schedule_id, []).append(
            Bracket(row.category, row.upper, row.rate, row.fixed_amount)
        )
    return [
        Schedule(s.valid_from, s.review_month, tuple(brackets.get(s.pk, ())))
        for s in RateSchedule.objects.all()
    ]


def base_on(bases: Sequence[MonthlyBase], month: date) -> MonthlyBase | None:
    """The record in force in ``month`` among one member's ``bases`` (any order)."""
    found = None
    for base in bases:
        if base.effective_from > month:
            continue
        if found is None or base.effective_from > found.effective_from:
            found = base
    return found


def due_for(bases: Sequence[MonthlyBase], month: date, schedules: Schedules) -> Decimal | None:
    """One member's dues for ``month``: None before his first base or without a schedule."""
    base = base_on(bases, month)
    schedule = schedules.on(month)
    if base is None or schedule is None:
        return None
    amount = base.amount if base.category in BASED_CATEGORIES else None
    return schedule.monthly_due(base.category, amount)
