"""The dues' answer to the 自行脱党 rule (``branches.services.self_departure``): did the member
pay anything after ``since``? ``dues_status`` answers for one member, ``lapsed_members`` lists
all who did not (the reminders), both by the same rule:

* "unknown" when the portal does not keep the member's dues for the whole window (no base
  before it) or nothing was owed in it (exempted, a zero rate);
* "paid" when a payment was made after ``since`` up to ``today``, or an earlier payment
  settles a month of the window (paid in advance);
* "unpaid" otherwise: nothing paid for the months.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from branches.models import Person
from branches.services.self_departure import PAID, UNKNOWN, UNPAID
from dues.models import MonthlyBase, Payment, PaymentMonth
from dues.rules import Schedules, due_for, month_of, months_between, next_month


def dues_statuses(people: Sequence[Person], since: date, today: date) -> dict[int, str]:
    """``dues_status`` of each member, by person pk, in five queries whatever their number."""
    start = next_month(month_of(since))
    window = months_between(start, month_of(today))
    bases: dict[int, list[MonthlyBase]] = defaultdict(list)
    for base in MonthlyBase.objects.filter(person__in=people):
        bases[base.person_id].append(base)
    paid = set(
        Payment.objects.filter(person__in=people, paid_on__gt=since, paid_on__lte=today)
        .values_list("person_id", flat=True)
        .distinct()
    )
    covered = set(
        PaymentMonth.objects.filter(person__in=people, month__in=window)
        .values_list("person_id", flat=True)
        .distinct()
    )
    schedules = Schedules()
    answers = {}
    for person in people:
        kept = bases.get(person.pk)
        if not kept or min(b.effective_from for b in kept) > month_of(since):
            answers[person.pk] = UNKNOWN
        elif person.pk in paid or person.pk in covered:
            answers[person.pk] = PAID
        elif not any(due_for(kept, month, schedules) for month in window):
            answers[person.pk] = UNKNOWN
        else:
            answers[person.pk] = UNPAID
    return answers


def dues_status(person: Person, since: date, today: date) -> str:
    return dues_statuses([person], since, today)[person.pk]


def lapsed_members(since: date, today: date) -> list[Person]:
    """Every active member whose ``dues_status`` is "unpaid", in four queries."""
    window = months_between(next_month(month_of(since)), month_of(today))
    kept = MonthlyBase.objects.filter(effective_from__lte=month_of(since)).values("person_id")
    paid = Payment.objects.filter(paid_on__gt=since, paid_on__lte=today).values("person_id")
    covered = PaymentMonth.objects.filter(month__in=window).values("person_id")
    people = list(
        Person.objects.active()
        .members()
        .filter(pk__in=kept)
        .exclude(pk__in=paid)
        .exclude(pk__in=covered)
        .select_related("branch")
        .order_by("pk")
    )
    bases: dict[int, list[MonthlyBase]] = defaultdict(list)
    for base in MonthlyBase.objects.filter(person__in=people):
        bases[base.person_id].append(base)
    schedules = Schedules()
    return [
        person
        for person in people
        if any(due_for(bases[person.pk], month, schedules) for month in window)
    ]
