"""Payments and what the dues come to: arrears per member and month, several months at once,
the voluntary extra, the interface of ``dues.reports`` for the branch's yearly dossier."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dues.audit_actions import ACTION_BASE_SET, ACTION_PAYMENT_RECORDED
from dues.models import PaymentMonth
from dues.reports import branch_year_totals, committee_year, member_year_rows
from dues.services import set_base
from portal.errors import Refused
from portal.models import AuditEntry
from tests.builders.dues import member_with_base, pay

pytestmark = pytest.mark.django_db

D = Decimal
SEPT = date(2025, 9, 15)


def _row(branch, person, year=2025, today=SEPT):
    return next(r for r in member_year_rows(branch, year, today) if r.person == person)


def test_arrears_are_the_months_due_and_not_paid(tree):
    branch = tree["branch_a"]
    person = member_with_base(branch, "4000")  # 40.00 a month from January
    pay(person, date(2025, 1, 1), 3, "120")
    pay(person, date(2025, 4, 1), 1, "40")
    row = _row(branch, person)
    assert row.monthly_base == D("4000.00") and row.monthly_due == D("40.00")
    assert row.due == D("360.00")  # January to September
    assert row.paid == D("160.00")
    assert row.arrears == D("200.00")
    assert row.months_paid == 4
    assert [c.arrears for c in row.months[:9]] == [D("0")] * 4 + [D("40.00")] * 5
    assert row.months[9].due == 0  # October has not begun


def test_a_payment_of_several_months_settles_each_month_up_to_its_dues(tree):
    branch = tree["branch_a"]
    person = member_with_base(branch, "4000")
    set_base(person, month=date(2025, 3, 1), category="in_service", amount=D("6000"))
    pay(person, date(2025, 2, 1), 2, "130")  # 40 + 90
    parts = dict(PaymentMonth.objects.filter(person=person).values_list("month", "amount"))
    assert parts == {date(2025, 2, 1): D("40.00"), date(2025, 3, 1): D("90.00")}


def test_a_short_payment_leaves_arrears_in_its_last_month(tree):
    branch = tree["branch_a"]
    person = member_with_base(branch, "4000")
    pay(person, date(2025, 1, 1), 2, "60")
    row = _row(branch, person)
    assert row.months[0].arrears == 0 and row.months[1].arrears == D("20.00")


def test_the_voluntary_extra_is_kept_apart(tree):
    branch = tree["branch_a"]
    person = member_with_base(branch, "4000")
    pay(person, date(2025, 1, 1), 9, "360", extra="1000")
    row = _row(branch, person)
    assert row.paid == D("360.00") and row.extra == D("1000") and row.arrears == 0


def test_paid_in_advance_counts_as_paid_and_owes_nothing(tree):
    branch = tree["branch_a"]
    person = member_with_base(branch, "4000")
    pay(person, date(2025, 1, 1), 12, "480", paid_on=date(2025, 1, 5))
    row = _row(branch, person)
    assert row.due == D("360.00") and row.paid == D("480.00") and row.arrears == 0
    assert row.months_paid == 12


def test_a_month_cannot_be_paid_twice(tree):
    person = member_with_base(tree["branch_a"], "4000")
    pay(person, date(2025, 1, 1), 3, "120")
    with pytest.raises(Refused):
        pay(person, date(2025, 3, 1), 2, "80")
    assert PaymentMonth.objects.filter(person=person).count() == 3


@pytest.mark.parametrize(("months", "amount"), [(0, "40"), (25, "40"), (1, "0")])
def test_a_payment_out_of_bounds_is_refused(tree, months, amount):
    person = member_with_base(tree["branch_a"], "4000")
    with pytest.raises(Refused):
        pay(person, date(2025, 1, 1), months, amount)


def test_a_base_is_required_for_a_percentage_category(tree):
    person = member_with_base(tree["branch_a"], "4000")
    with pytest.raises(Refused):
        set_base(person, month=date(2025, 2, 1), category="in_service", amount=None)
    with pytest.raises(Refused):
        set_base(person, month=date(2025, 2, 1), category="in_service", amount=D("1.005"))


def test_writes_are_audited_without_the_amounts(tree):
    person = member_with_base(tree["branch_a"], "4321")
    pay(person, date(2025, 1, 1))
    entries = AuditEntry.objects.filter(action__in=[ACTION_BASE_SET, ACTION_PAYMENT_RECORDED])
    assert entries.count() == 2
    assert all("4321" not in str(e.data) for e in entries)


def test_member_year_rows_and_branch_totals_for_the_dossier(tree):
    branch = tree["branch_a"]
    first = member_with_base(branch, "4000", name="甲")
    second = member_with_base(branch, "12000", name="乙")  # 240.00 a month
    no_base = member_with_base(branch, None, name="丙", category="student")
    pay(first, date(2025, 1, 1), 9, "360")
    pay(second, date(2025, 1, 1), 6, "1440")
    rows = member_year_rows(branch, 2025, SEPT)
    assert [r.person.name for r in rows] == ["丙", "乙", "甲"]
    by_name = {r.person.name: r for r in rows}
    assert by_name["乙"].arrears == D("720.00") and by_name["乙"].months_paid == 6
    assert by_name["丙"].monthly_base is None and by_name["丙"].due == D("1.80")
    assert isinstance(by_name["甲"].due, Decimal) and isinstance(by_name["甲"].months_paid, int)
    totals = branch_year_totals(branch, 2025, SEPT)
    assert totals.due == D("360.00") + D("2160.00") + D("1.80")
    assert totals.paid == D("1800.00")
    assert totals.arrears == totals.due - totals.paid
    assert totals.members == 3 and totals.members_in_arrears == 2
    assert totals.months[8].arrears == D("240.00") + D("0.20")
    assert no_base in [r.person for r in rows]


def test_a_past_year_counts_all_twelve_months(tree):
    branch = tree["branch_a"]
    person = member_with_base(branch, "4000", month=date(2024, 7, 1))
    row = _row(branch, person, year=2024)
    assert row.due == D("240.00") and row.arrears == D("240.00")  # July to December


def test_the_committee_sums_its_branches(tree):
    a, b = tree["branch_a"], tree["branch_b"]
    pay(member_with_base(a, "4000"), date(2025, 1, 1), 9, "360")
    member_with_base(b, "4000")
    branches, total = committee_year(tree["committee"], 2025, SEPT)
    figures = {entry.branch: entry.totals for entry in branches}
    assert figures[a].arrears == 0 and figures[b].arrears == D("360.00")
    assert total.due == D("720.00") and total.paid == D("360.00")


def test_a_member_who_moved_stays_in_the_rows_of_the_branch_he_paid_in(tree):
    a, b = tree["branch_a"], tree["branch_b"]
    person = member_with_base(a, "4000")
    pay(person, date(2025, 1, 1), 3, "120")
    person.branch = b
    person.save(update_fields=["branch"])
    assert person in [r.person for r in member_year_rows(a, 2025, SEPT)]
    assert person in [r.person for r in member_year_rows(b, 2025, SEPT)]
    assert person not in [r.person for r in member_year_rows(a, 2024, SEPT)]


def test_a_month_before_the_first_base_settles_nothing(tree):
    person = member_with_base(tree["branch_a"], "4000", month=date(2025, 2, 1))
    pay(person, date(2025, 1, 1), 2, "40")
    parts = dict(PaymentMonth.objects.filter(person=person).values_list("month", "amount"))
    assert parts == {date(2025, 1, 1): D("0"), date(2025, 2, 1): D("40.00")}
