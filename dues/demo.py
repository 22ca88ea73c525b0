"""Demo Party dues: a base for every member of the demo branches and the payments of the
twelve months up to the current one — most paid by quarter or by payroll, a few months in
arrears, one mid-year change of base, and one member who paid nothing for seven months (the
自行脱党 flag). Seeded, so every run writes the same figures; a second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone

from branches.models import Organisation, OrgKind, Person, Service
from dues.models import DuesCategory, MonthlyBase, Payment, PaymentMethod, PaymentMonth
from dues.rules import Schedules, due_for, month_of, months_between

#: Branches of students pay the students' fixed amount.
STUDENT_BRANCHES = ("研究生第一党支部", "研究生第二党支部")
#: The demo member who paid nothing for seven months.
LAPSED_BRANCH = "细胞生物学第一党支部"


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _base_for(rng: random.Random, branch: Organisation) -> tuple[str, Decimal | None]:
    if branch.name in STUDENT_BRANCHES:
        return DuesCategory.STUDENT, None
    if branch.service == Service.RETIRED:
        return DuesCategory.RETIRED, Decimal(rng.randrange(3000, 9000, 50))
    # A few bases exactly on a bracket's edge, the others spread over the brackets.
    edge = rng.choice([None] * 8 + [Decimal("3000"), Decimal("5000"), Decimal("10000")])
    return DuesCategory.IN_SERVICE, edge or Decimal(rng.randrange(2800, 18000, 10))


def seed_dues(write=print) -> None:
    if Payment.objects.exists():
        write("  dues already present")
        return
    rng = random.Random(20221018)
    now = month_of(timezone.localdate())
    first = _add_months(now, -11)
    months = months_between(first, now)
    branches = list(Organisation.objects.filter(kind=OrgKind.BRANCH, is_active=True))
    bases: list[MonthlyBase] = []
    for branch in branches:
        for person in Person.objects.active().members().filter(branch=branch).order_by("pk"):
            category, amount = _base_for(rng, branch)
            bases.append(
                MonthlyBase(person=person, effective_from=first, category=category, amount=amount)
            )
            if amount is not None and rng.random() < 0.15:
                # A change of base in the year, from its month on.
                raise_by = Decimal(rng.randrange(200, 1500, 50))
                bases.append(
                    MonthlyBase(
                        person=person,
                        effective_from=_add_months(first, 6),
                        category=category,
                        amount=amount + raise_by,
                        note="年中调整",
                    )
                )
    MonthlyBase.objects.bulk_create(bases)
    _seed_payments(rng, branches, months)
    write(
        f"  {MonthlyBase.objects.count()} dues bases, {Payment.objects.count()} payments "
        f"({months[0]:%Y-%m} to {months[-1]:%Y-%m})"
    )


def _seed_payments(rng: random.Random, branches, months: list[date]) -> None:
    schedules = Schedules()
    by_person: dict[int, list[MonthlyBase]] = {}
    for base in MonthlyBase.objects.all():
        by_person.setdefault(base.person_id, []).append(base)
    # Not one of the demo logins: the member who signs in sees dues in order.
    lapsed = (
        Person.objects.active()
        .members()
        .filter(branch__name=LAPSED_BRANCH, user__isnull=True, roles__isnull=True)
        .order_by("-pk")
        .first()
    )
    plans = []
    for person in Person.objects.filter(pk__in=by_person).select_related("branch").order_by("pk"):
        owed = months
        if lapsed is not None and person.pk == lapsed.pk:
            owed = months[:-7]
        elif rng.random() < 0.1:
            owed = months[: -rng.randrange(1, 4)]
        step = rng.choice([1, 3, 3, 6])
        method = (
            PaymentMethod.PAYROLL
            if step == 1
            else rng.choice([PaymentMethod.TRANSFER, PaymentMethod.ONLINE, PaymentMethod.CASH])
        )
        for start in range(0, len(owed), step):
            covered = owed[start : start + step]
            dues = [due_for(by_person[person.pk], m, schedules) or Decimal("0") for m in covered]
            extra = Decimal("100") if rng.random() < 0.02 else Decimal("0")
            paid_on = min(covered[-1].replace(day=10), timezone.localdate())
            payment = Payment(
                person=person,
                branch=person.branch,
                first_month=covered[0],
                months=len(covered),
                amount=sum(dues, Decimal("0")),
                extra=extra,
                paid_on=max(paid_on, covered[0]),
                method=method,
            )
            plans.append((payment, list(zip(covered, dues, strict=True))))
    Payment.objects.bulk_create([p for p, _parts in plans])
    PaymentMonth.objects.bulk_create(
        PaymentMonth(payment=p, person_id=p.person_id, month=m, amount=a)
        for p, parts in plans
        for m, a in parts
    )
