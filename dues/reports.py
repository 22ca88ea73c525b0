"""What the dues come to: per member and month, per branch, per committee.

For a year, the dues *due* are those of its months up to the current one (a month not yet
begun is not owed); *paid* is what the payments settle for the year's months (a month paid in
advance counts); *arrears* is, month by month up to the current one, what is owed and not
settled. Voluntary extra amounts are kept apart (``extra``), never counted against arrears.

``member_year_rows`` and ``branch_year_totals`` are the interface other apps read (the branch's
yearly dossier): plain dataclasses, no template or request involved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from branches.models import Organisation, Person
from dues.models import DuesCategory, MonthlyBase, Payment, PaymentMonth
from dues.rules import Schedules, base_on, due_for, month_of

ZERO = Decimal("0.00")


@dataclass
class MonthCell:
    """One member's (or a total's) month: owed, settled, and what is still open."""

    month: date
    due: Decimal = ZERO
    paid: Decimal = ZERO
    arrears: Decimal = ZERO
    #: None: no base in force that month (the dues cannot be told).
    known: bool = True


@dataclass
class MemberYear:
    """One member's dues for a year.

    * ``person``: the ``branches.models.Person``;
    * ``monthly_base``: the base in force in the last month counted (None: none entered, or a
      fixed-amount category); ``category``: its dues category (None without a record);
    * ``monthly_due``: the dues of that month;
    * ``due``, ``paid``, ``arrears``: the year's totals in yuan (see the module doc);
    * ``extra``: voluntary amounts paid on top in the year;
    * ``months_paid``: months of the year settled by a payment;
    * ``months``: the twelve ``MonthCell`` s.
    """

    person: Person
    monthly_base: Decimal | None
    category: str | None
    monthly_due: Decimal | None
    due: Decimal
    paid: Decimal
    arrears: Decimal
    extra: Decimal
    months_paid: int
    months: list[MonthCell] = field(default_factory=list)

    @property
    def has_base(self) -> bool:
        return self.category is not None

    @property
    def category_label(self) -> str:
        return str(DuesCategory(self.category).label) if self.category else ""


@dataclass
class Totals:
    """Sums over members: ``due``, ``paid``, ``arrears``, ``extra`` (yuan), ``members``,
    ``members_in_arrears``, and the twelve monthly ``MonthCell`` totals."""

    due: Decimal = ZERO
    paid: Decimal = ZERO
    arrears: Decimal = ZERO
    extra: Decimal = ZERO
    members: int = 0
    members_in_arrears: int = 0
    months: list[MonthCell] = field(default_factory=list)

    def add(self, row: MemberYear) -> None:
        self.due += row.due
        self.paid += row.paid
        self.arrears += row.arrears
        self.extra += row.extra
        self.members += 1
        self.members_in_arrears += row.arrears > 0
        for total, cell in zip(self.months, row.months, strict=True):
            total.due += cell.due
            total.paid += cell.paid
            total.arrears += cell.arrears


def current_month(today: date | None = None) -> date:
    return month_of(today or timezone.localdate())


def year_months(year: int) -> list[date]:
    return [date(year, m, 1) for m in range(1, 13)]


def _people(branches: Iterable[Organisation], year: int):
    """The branches' active members, and anyone whose payment for the year they recorded."""
    branch_ids = [b.pk for b in branches]
    paid_here = PaymentMonth.objects.filter(
        payment__branch_id__in=branch_ids, month__year=year
    ).values("person_id")
    members = Person.objects.active().members().filter(branch_id__in=branch_ids)
    return (
        Person.objects.filter(Q(pk__in=members.values("pk")) | Q(pk__in=paid_here))
        .select_related("branch")
        .order_by("name", "pk")
    )


def ledger(people: Iterable[Person], year: int, today: date | None = None) -> list[MemberYear]:
    """The year's rows of ``people`` (three queries whatever their number)."""
    people = list(people)
    until = current_month(today)
    schedules = Schedules()
    ids = [p.pk for p in people]
    bases: dict[int, list[MonthlyBase]] = defaultdict(list)
    for base in MonthlyBase.objects.filter(person_id__in=ids):
        bases[base.person_id].append(base)
    paid: dict[tuple[int, date], Decimal] = defaultdict(lambda: ZERO)
    for person_id, month, amount in PaymentMonth.objects.filter(
        person_id__in=ids, month__year=year
    ).values_list("person_id", "month", "amount"):
        paid[(person_id, month)] += amount
    extras: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for person_id, extra in Payment.objects.filter(
        person_id__in=ids, first_month__year=year, extra__gt=0
    ).values_list("person_id", "extra"):
        extras[person_id] += extra
    rows = []
    for person in people:
        own = bases.get(person.pk, [])
        cells = []
        for month in year_months(year):
            settled = paid.get((person.pk, month), ZERO)
            cell = MonthCell(month, paid=settled)
            if month <= until:
                due = due_for(own, month, schedules)
                cell.known = due is not None
                cell.due = due or ZERO
                cell.arrears = max(cell.due - settled, ZERO)
            cells.append(cell)
        last = min(until, date(year, 12, 1))
        in_force = base_on(own, last)
        rows.append(
            MemberYear(
                person=person,
                monthly_base=in_force.amount if in_force else None,
                category=in_force.category if in_force else None,
                monthly_due=due_for(own, last, schedules) if in_force else None,
                due=sum((c.due for c in cells), ZERO),
                paid=sum((c.paid for c in cells), ZERO),
                arrears=sum((c.arrears for c in cells), ZERO),
                extra=extras.get(person.pk, ZERO),
                months_paid=sum(1 for c in cells if (person.pk, c.month) in paid),
                months=cells,
            )
        )
    return rows


def member_year_rows(
    branch: Organisation, year: int, today: date | None = None
) -> list[MemberYear]:
    """One ``MemberYear`` per member of ``branch`` for ``year``, sorted by name: its active
    members, and people whose payment the branch recorded that year (moved away since).

    Each row carries ``person``, ``monthly_base`` (Decimal or None), ``due``, ``paid``,
    ``arrears`` (Decimal yuan, the year's totals up to ``today``'s month) and
    ``months_paid`` (int); see ``MemberYear``. ``today`` defaults to Shanghai's date.
    """
    return ledger(_people([branch], year), year, today)


def totals_of(rows: Iterable[MemberYear], year: int) -> Totals:
    totals = Totals(months=[MonthCell(m) for m in year_months(year)])
    for row in rows:
        totals.add(row)
    return totals


def branch_year_totals(branch: Organisation, year: int, today: date | None = None) -> Totals:
    """The branch's ``due``, ``paid``, ``arrears`` and ``extra`` for ``year`` (Decimal yuan),
    with ``members``, ``members_in_arrears`` and the monthly totals (``months``)."""
    return totals_of(member_year_rows(branch, year, today), year)


@dataclass
class BranchYear:
    branch: Organisation
    totals: Totals


def committee_year(
    committee: Organisation, year: int, today: date | None = None
) -> tuple[list[BranchYear], Totals]:
    """Per branch of the committee, and for the committee as a whole (one ledger pass)."""
    branches = list(Organisation.objects.within(committee).branches().active())
    rows = ledger(_people(branches, year), year, today)
    by_branch: dict[int, list[MemberYear]] = defaultdict(list)
    for row in rows:
        by_branch[row.person.branch_id or 0].append(row)
    found = [BranchYear(b, totals_of(by_branch.get(b.pk, []), year)) for b in branches]
    return found, totals_of(rows, year)


def bases_to_review(branch: Organisation, today: date | None = None) -> list[Person]:
    """Members whose base was not reviewed since this year's review month began (once the
    month has come): the yearly review is due."""
    month = current_month(today)
    review = date(month.year, Schedules().review_month(month), 1)
    if month < review:
        return []
    latest: dict[int, date] = {}
    for person_id, effective in MonthlyBase.objects.filter(person__branch=branch).values_list(
        "person_id", "effective_from"
    ):
        latest[person_id] = max(latest.get(person_id, effective), effective)
    people = Person.objects.active().members().filter(branch=branch).order_by("name")
    return [p for p in people if p.pk in latest and latest[p.pk] < review]
