"""The office's dues report of its committee: per branch and per month."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.builders.dues import member_with_base, pay
from tests.clock import BEIJING

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(at=datetime(2025, 9, 15, 10, 0, tzinfo=BEIJING)),
]


def test_the_report_per_branch_and_month(personas):
    a = personas.tree["branch_a"]
    pay(member_with_base(a, "4000"), date(2025, 1, 1), 3, "120")
    response = personas.client("office").get(
        reverse("dues:committee_report", args=[personas.tree["committee"].pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    total = response.context["total"]
    assert total.due == Decimal("360.00") and total.arrears == Decimal("240.00")
    assert total.months[3].arrears == Decimal("40.00")
    body = response.content.decode()
    assert reverse("dues:committee_statement", args=[personas.tree["committee"].pk]) in body


def test_the_office_menu_leads_to_its_committee(personas):
    response = personas.client("office").get(reverse("dues:office_dues"))
    assert response.url == reverse("dues:committee_report", args=[personas.tree["committee"].pk])


def test_another_committee_is_a_404(second_committee):
    response = second_committee.client("office_2").get(
        reverse("dues:committee_report", args=[second_committee.tree["committee"].pk])
    )
    assert response.status_code == 404
