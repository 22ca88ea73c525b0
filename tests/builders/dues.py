"""Builders for the dues tests: a member with a base, a payment, a filled-in bases file."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.utils.translation import override

from branches.models import Person
from dues.exporters import DuesBaseExporter
from dues.models import DuesCategory, MonthlyBase
from dues.services import PaymentInput, record_payment, set_base
from portal.xlsx import write_xlsx


def member_with_base(
    branch,
    amount="4000",
    *,
    month=date(2025, 1, 1),
    category=DuesCategory.IN_SERVICE,
    name=None,
) -> Person:
    person = Person.objects.create(
        name=name or f"缴费党员{Person.objects.count()}", branch=branch, member_type="full"
    )
    set_base(
        person,
        month=month,
        category=category,
        amount=Decimal(amount) if amount is not None else None,
    )
    return person


def pay(person, first_month, months=1, amount="40", *, extra="0", paid_on=None, method="cash"):
    return record_payment(
        person,
        PaymentInput(
            first_month=first_month,
            months=months,
            amount=Decimal(amount),
            extra=Decimal(extra),
            paid_on=paid_on or first_month,
            method=method,
        ),
    )


def bases_file(rows) -> io.BytesIO:
    """A filled-in template: ``rows`` of (name, birth date, category, amount, month, note);
    a category is its stored value (written as its label) or any other text (written as is)."""

    class Row:
        def __init__(self, name, birth, category, amount, month, note=""):
            self.person = Person(name=name, birth_date=birth)
            self.category, self.amount, self.effective_from, self.note = (
                category,
                amount,
                month,
                note,
            )

    # Written in English, as the tests' requests read it (choice labels are per language).
    with override("en"):
        handle = io.BytesIO(write_xlsx(DuesBaseExporter([Row(*r) for r in rows])))
    handle.name = "bases.xlsx"
    return handle


__all__ = ["MonthlyBase", "bases_file", "member_with_base", "pay"]
