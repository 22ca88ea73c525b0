"""The dues forms (payment, base) and the import's amount cell refuse any value that is not
an amount, a month or a count with a message, never a server error, and save nothing then."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given

from dues.imports import parse_amount
from dues.models import MAX_BASE, MonthlyBase, Payment
from tests.builders.dues import member_with_base
from tests.extreme_values import (
    EXAMPLES,
    assert_not_server_error,
    cell_values,
    form_values,
    need_postgresql,
    one_example,
)

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
@EXAMPLES
@given(
    first=form_values, months=form_values, amount=form_values, extra=form_values, day=form_values
)
def test_payment_form(personas, first, months, amount, extra, day):
    need_postgresql()
    with one_example():
        branch = personas.tree["branch_a"]
        person = member_with_base(branch, "4000")
        response = personas.client("secretary_a").post(
            reverse("dues:payment_add", args=[branch.pk]),
            {
                "person": person.pk,
                "first_month": first,
                "months": months,
                "amount": amount,
                "extra": extra,
                "paid_on": day,
                "method": "cash",
            },
        )
        assert_not_server_error(response, (first, months, amount, extra, day))
        if response.status_code == 200:
            assert not Payment.objects.exists()
        for payment in Payment.objects.all():
            assert 1 <= payment.months <= 24 and payment.amount >= 0 and payment.extra >= 0


@pytest.mark.postgres
@EXAMPLES
@given(month=form_values, amount=form_values)
def test_base_form(personas, month, amount):
    need_postgresql()
    with one_example():
        person = member_with_base(personas.tree["branch_a"], "4000")
        response = personas.client("secretary_a").post(
            reverse("dues:base_set", args=[person.pk]),
            {"month": month, "category": "in_service", "amount": amount},
        )
        assert_not_server_error(response, (month, amount))
        for base in MonthlyBase.objects.filter(person=person):
            assert base.effective_from.day == 1
            assert base.amount is not None and Decimal(0) <= base.amount <= MAX_BASE


@EXAMPLES
@given(value=cell_values)
def test_any_cell_is_an_amount_or_a_message(value):
    try:
        amount = parse_amount(value)
    except ValueError as problem:
        assert str(problem)
    else:
        assert amount is None or (Decimal(0) <= amount <= MAX_BASE)
