"""Writes of the Party dues: a member's base, a payment, an import of bases. Each is one
transaction and one audit entry; a refused write raises ``Refused`` and changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Organisation, Person
from dues.audit_actions import (
    ACTION_BASE_SET,
    ACTION_BASES_IMPORTED,
    ACTION_PAYMENT_CANCELLED,
    ACTION_PAYMENT_RECORDED,
)
from dues.models import (
    BASED_CATEGORIES,
    MAX_BASE,
    MAX_MONTHS,
    DuesCategory,
    MonthlyBase,
    Payment,
    PaymentMonth,
)
from dues.rules import Schedules, due_for, month_of, months_between, next_month
from portal.audit import log_action
from portal.errors import Refused


def check_base(category: str, amount: Decimal | None) -> None:
    """A percentage category needs a base within bounds; a fixed one takes none."""
    if category in BASED_CATEGORIES:
        if amount is None:
            raise Refused(_("Enter the monthly base for this category."))
        if amount < 0 or amount > MAX_BASE:
            raise Refused(
                _("The monthly base must be between 0 and %(max)s yuan.") % {"max": MAX_BASE}
            )
        if amount != amount.quantize(Decimal("0.01")):
            raise Refused(_("The monthly base has at most two decimal places (fen)."))


@transaction.atomic
def set_base(
    person: Person,
    *,
    month: date,
    category: str,
    amount: Decimal | None,
    note: str = "",
    user=None,
) -> MonthlyBase:
    """The member's category and base from ``month`` on (a second entry for the same month
    replaces the first)."""
    check_base(category, amount)
    if category not in BASED_CATEGORIES:
        amount = None
    base, created = MonthlyBase.objects.update_or_create(
        person=person,
        effective_from=month_of(month),
        defaults={"category": category, "amount": amount, "note": note, "created_by": user},
    )
    # The amounts are personal: the entry says that a base was set, not what it is.
    log_action(
        person,
        ACTION_BASE_SET,
        user=user,
        data={"month": base.effective_from.isoformat(), "category": category, "new": created},
    )
    return base


@dataclass(frozen=True)
class PaymentInput:
    first_month: date
    months: int
    amount: Decimal
    extra: Decimal
    paid_on: date
    method: str
    note: str = ""


def _allocate(
    person: Person, months: Sequence[date], amount: Decimal
) -> list[tuple[date, Decimal]]:
    """Spread ``amount`` over ``months`` in order, each month up to its dues (nothing to a
    month whose dues are unknown, before a base); the last month takes what remains."""
    schedules = Schedules()
    bases = list(person.dues_bases.all())
    parts, left = [], amount
    for index, month in enumerate(months):
        due = due_for(bases, month, schedules)
        last = index == len(months) - 1
        share = left if last else min(left, due or Decimal("0"))
        parts.append((month, share))
        left -= share
    return parts


@transaction.atomic
def record_payment(person: Person, data: PaymentInput, *, user=None) -> Payment:
    """Record what ``person`` paid for ``data.months`` months from ``data.first_month``."""
    if person.branch_id is None:
        raise Refused(_("This person belongs to no branch."))
    if not 1 <= data.months <= MAX_MONTHS:
        raise Refused(_("A payment covers 1 to %(max)s months.") % {"max": MAX_MONTHS})
    if data.amount < 0 or data.extra < 0 or data.amount + data.extra <= 0:
        raise Refused(_("Enter the amount paid."))
    first = month_of(data.first_month)
    months = months_between(first, _add(first, data.months - 1))
    taken = set(
        PaymentMonth.objects.filter(person=person, month__in=months).values_list("month", flat=True)
    )
    if taken:
        raise Refused(
            _("Already paid for: %(months)s.")
            % {"months": "、".join(m.strftime("%Y-%m") for m in sorted(taken))}
        )
    payment = Payment.objects.create(
        person=person,
        branch_id=person.branch_id,
        first_month=first,
        months=data.months,
        amount=data.amount,
        extra=data.extra,
        paid_on=data.paid_on,
        method=data.method,
        note=data.note,
        recorded_by=user,
    )
    PaymentMonth.objects.bulk_create(
        PaymentMonth(payment=payment, person=person, month=month, amount=share)
        for month, share in _allocate(person, months, data.amount)
    )
    log_action(
        payment,
        ACTION_PAYMENT_RECORDED,
        user=user,
        data={"person": person.pk, "first_month": first.isoformat(), "months": data.months},
    )
    return payment


@transaction.atomic
def cancel_payment(payment: Payment, reason: str, *, user=None) -> None:
    """Take back a payment recorded by mistake: its months are owed again. The audit entry
    keeps what was cancelled and why (amounts stay out of the log, as for every dues entry)."""
    reason = reason.strip()
    if not reason:
        raise Refused(_("Say why the payment is cancelled."))
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    log_action(
        locked.person,
        ACTION_PAYMENT_CANCELLED,
        user=user,
        data={
            "payment": locked.pk,
            "first_month": locked.first_month.isoformat(),
            "months": locked.months,
            "paid_on": locked.paid_on.isoformat(),
            "reason": reason,
        },
    )
    PaymentMonth.objects.filter(payment=locked).delete()
    locked.delete()


def _add(month: date, count: int) -> date:
    for _i in range(count):
        month = next_month(month)
    return month


@dataclass(frozen=True)
class BaseRow:
    person: Person
    month: date
    category: str
    amount: Decimal | None
    note: str = ""

    @property
    def category_label(self) -> str:
        return str(DuesCategory(self.category).label)


@transaction.atomic
def import_bases(branch: Organisation, rows: Sequence[BaseRow], *, user=None) -> int:
    """Save every row of a checked import (all or nothing); one audit entry for the file."""
    for row in rows:
        check_base(row.category, row.amount)
        MonthlyBase.objects.update_or_create(
            person=row.person,
            effective_from=month_of(row.month),
            defaults={
                "category": row.category,
                "amount": row.amount if row.category in BASED_CATEGORIES else None,
                "note": row.note,
                "created_by": user,
            },
        )
    log_action(branch, ACTION_BASES_IMPORTED, user=user, data={"rows": len(rows)})
    return len(rows)
