"""A member's dues page (the branch's editors): bases, months, payments, entering a base; and
the member's own dues on his profile."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dues.models import MonthlyBase
from dues.services import set_base
from tests.builders.dues import member_with_base, pay
from tests.clock import BEIJING

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(at=datetime(2025, 9, 15, 10, 0, tzinfo=BEIJING)),
]


def test_the_history_of_a_member(personas):
    person = member_with_base(personas.tree["branch_a"], "4000")
    pay(person, date(2025, 1, 1), 3, "120", extra="30")
    response = personas.client("secretary_a").get(
        reverse("dues:member_dues", args=[person.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert response.context["row"].arrears == Decimal("240.00")
    assert "2025-01 (×3)" in body and "30.00" in body


def test_a_change_of_base_from_a_month(personas):
    person = member_with_base(personas.tree["branch_a"], "4000")
    response = personas.client("secretary_a").post(
        reverse("dues:base_set", args=[person.pk]),
        {"month": "2025-07", "category": "in_service", "amount": "6000"},
    )
    assert response.status_code == 302
    assert MonthlyBase.objects.filter(person=person).count() == 2
    row = personas.client("secretary_a").get(reverse("dues:member_dues", args=[person.pk]))
    months = row.context["row"].months
    assert months[5].due == Decimal("40.00") and months[6].due == Decimal("90.00")


def test_a_bad_base_is_refused_with_a_message(personas):
    person = member_with_base(personas.tree["branch_a"], "4000")
    response = personas.client("secretary_a").post(
        reverse("dues:base_set", args=[person.pk]),
        {"month": "2025-07", "category": "in_service", "amount": ""},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "Enter the monthly base for this category." in response.content.decode()
    assert MonthlyBase.objects.filter(person=person).count() == 1


def test_the_member_sees_his_own_dues_on_his_profile(personas):
    member = personas.people["member"]
    set_base(member, month=date(2025, 1, 1), category="in_service", amount=Decimal("5000"))
    pay(member, date(2025, 1, 1), 6, "300")
    body = (
        personas.client("member")
        .get(reverse("branches:my_profile"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "My Party dues" in body and "5000.00" in body and "150.00" in body  # arrears


def test_a_profile_without_dues_shows_no_panel(personas):
    body = (
        personas.client("member")
        .get(reverse("branches:my_profile"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "My Party dues" not in body
