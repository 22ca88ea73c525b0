"""Taking back a payment recorded by mistake: its months are owed again, the reason is in the
audit log, and only the branch's dues keepers may do it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dues.audit_actions import ACTION_PAYMENT_CANCELLED
from dues.models import Payment, PaymentMonth
from dues.reports import ledger
from portal.models import AuditEntry
from tests.builders.dues import member_with_base, pay
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def payment(personas):
    person = member_with_base(personas.tree["branch_a"], "4000", month=date(2026, 1, 1))
    return pay(person, date(2026, 1, 1), months=3, amount="120")


def _url(payment) -> str:
    return reverse("dues:payment_cancel", args=[payment.pk])


def test_cancelling_makes_the_months_owed_again(personas, payment):
    person = payment.person
    before = ledger([person], 2026, date(2026, 6, 15))[0]
    assert before.paid == Decimal("120")
    response = personas.client("secretary_a").post(_url(payment), {"reason": "录入有误"})
    assert response.status_code == 302
    assert not Payment.objects.filter(pk=payment.pk).exists()
    assert not PaymentMonth.objects.filter(person=person).exists()
    after = ledger([person], 2026, date(2026, 6, 15))[0]
    assert after.paid == 0 and after.arrears == before.arrears + Decimal("120")
    entry = AuditEntry.objects.get(action=ACTION_PAYMENT_CANCELLED)
    assert entry.data["reason"] == "录入有误" and entry.data["months"] == 3
    assert "120" not in str(entry.data)  # amounts stay out of the log
    # The same months can be recorded again.
    pay(person, date(2026, 1, 1), months=3, amount="120")


def test_a_reason_is_required(personas, payment):
    response = personas.client("secretary_a").post(_url(payment), {"reason": "  "}, follow=True)
    assert "Say why the payment is cancelled." in response.content.decode()
    assert Payment.objects.filter(pk=payment.pk).exists()


@pytest.mark.parametrize("persona", ["secretary_b", "committee", "member", "regional"])
def test_others_cannot_cancel(personas, payment, persona):
    response = personas.client(persona).post(_url(payment), {"reason": "录入有误"})
    assert response.status_code == 404
    assert Payment.objects.filter(pk=payment.pk).exists()


def test_the_member_page_offers_the_cancel_form(personas, payment):
    page = personas.client("secretary_a").get(reverse("dues:member_dues", args=[payment.person_id]))
    assert _url(payment) in page.content.decode()
