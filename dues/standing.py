"""The dues' answer to the 自行脱党 rule (``branches.services.self_departure``): did the member
pay anything after ``since``?

* "unknown" when the portal does not keep the member's dues for the whole window (no base
  before it) or nothing was owed in it (exempted, a zero rate);
* "paid" when a payment was made after ``since`` up to ``today``, or an earlier payment
  settles a month of the window (paid in advance);
* "unpaid" otherwise: nothing paid for the months.
"""

from __future__ import annotations

from datetime import date

from branches.models import Person
from branches.services.self_departure import PAID, UNKNOWN, UNPAID
from dues.models import MonthlyBase, Payment, PaymentMonth
from dues.rules import Schedules, due_for, month_of, months_between, next_month


def dues_status(person: Person, since: date, today: date) -> str:
    bases = list(MonthlyBase.objects.filter(person=person))
    start = next_month(month_of(since))
    if not bases or min(b.effective_from for b in bases) > month_of(since):
        return UNKNOWN
    if Payment.objects.filter(person=person, paid_on__gt=since, paid_on__lte=today).exists():
        return PAID
    window = months_between(start, month_of(today))
    if PaymentMonth.objects.filter(person=person, month__in=window).exists():
        return PAID
    schedules = Schedules()
    if not any(due_for(bases, month, schedules) for month in window):
        return UNKNOWN
    return UNPAID
