"""The branch's dues page: editors see every amount; the committee's readers see them masked;
the bases export is the editors' and audited; the list pages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse

from dues.audit_actions import ACTION_PAYMENT_RECORDED
from dues.models import Payment
from portal.audit_actions import ACTION_EXPORT_DOWNLOADED
from portal.models import AuditEntry
from tests.builders.dues import member_with_base, pay
from tests.clock import BEIJING

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(at=datetime(2025, 9, 15, 10, 0, tzinfo=BEIJING)),
]


def _page(personas, who, branch, query=""):
    return personas.client(who).get(
        reverse("dues:branch_dues", args=[branch.pk]) + query, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_editors_see_the_amounts(personas):
    branch = personas.tree["branch_a"]
    person = member_with_base(branch, "4321.50", name="王缴费")
    pay(person, date(2025, 1, 1), 3, "129.66")
    body = _page(personas, "secretary_a", branch).content.decode()
    assert "4321.50" in body and "43.22" in body  # base and monthly dues
    assert "259.32" in body  # arrears: April to September, 6 × 43.22
    assert reverse("dues:payment_add", args=[branch.pk]) in body


@pytest.mark.parametrize("reader", ["committee", "regional"])
def test_the_committee_readers_see_the_amounts_masked(personas, reader):
    branch = personas.tree["branch_a"]
    member_with_base(branch, "4321.50", name="王缴费")
    member_with_base(branch, "5000", name="李缴费")  # the totals are not one member's
    response = _page(personas, reader, branch)
    body = response.content.decode()
    assert response.status_code == 200 and "王缴费" in body
    assert "4321.50" not in body and "43.22" not in body and "***" in body
    assert "In arrears" in body
    assert reverse("dues:payment_add", args=[branch.pk]) not in body
    assert _page(personas, reader, branch, "?format=xlsx").status_code == 404


def test_the_bases_export_is_audited(personas):
    branch = personas.tree["branch_a"]
    member_with_base(branch, "4000")
    response = _page(personas, "secretary_a", branch, "?format=xlsx")
    assert response.status_code == 200
    assert AuditEntry.objects.filter(action=ACTION_EXPORT_DOWNLOADED).count() == 1


def test_the_list_is_paged_and_searchable(personas):
    branch = personas.tree["branch_a"]
    for i in range(55):
        member_with_base(branch, "4000", name=f"成员{i:02d}")
    response = _page(personas, "secretary_a", branch)
    assert len(response.context["page"].object_list) == 50
    response = _page(personas, "secretary_a", branch, "?q=成员07")
    assert [r.person.name for r in response.context["page"]] == ["成员07"]


def test_a_bad_year_falls_back_to_this_year(personas):
    response = _page(personas, "secretary_a", personas.tree["branch_a"], "?year=abc")
    assert response.context["year"] == 2025


def test_bases_due_for_review_are_named(personas):
    branch = personas.tree["branch_a"]
    member_with_base(branch, "4000", month=date(2024, 3, 1))
    member_with_base(branch, "4000", month=date(2025, 1, 1))
    body = _page(personas, "secretary_a", branch).content.decode()
    assert "1 member's base is due for its yearly review." in body


def test_recording_a_payment_of_several_months(personas):
    branch = personas.tree["branch_a"]
    person = member_with_base(branch, "4000")
    client = personas.client("secretary_a")
    url = reverse("dues:payment_add", args=[branch.pk])
    assert client.get(url + f"?person={person.pk}").status_code == 200
    response = client.post(
        url,
        {
            "person": person.pk,
            "first_month": "2025-01",
            "months": "3",
            "amount": "120",
            "extra": "20",
            "paid_on": "2025-03-02",
            "method": "online",
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.months, payment.extra, payment.branch) == (3, 20, branch)
    assert AuditEntry.objects.filter(action=ACTION_PAYMENT_RECORDED).count() == 1


def test_a_month_paid_twice_is_refused_on_the_form(personas):
    branch = personas.tree["branch_a"]
    person = member_with_base(branch, "4000")
    pay(person, date(2025, 2, 1))
    response = personas.client("secretary_a").post(
        reverse("dues:payment_add", args=[branch.pk]),
        {
            "person": person.pk,
            "first_month": "2025-01",
            "months": "2",
            "amount": "80",
            "paid_on": "2025-03-02",
            "method": "cash",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "Already paid for: 2025-02" in response.content.decode()
    assert Payment.objects.count() == 1


def test_another_branchs_member_is_not_a_choice(personas):
    other = member_with_base(personas.tree["branch_b"], "4000")
    response = personas.client("secretary_a").post(
        reverse("dues:payment_add", args=[personas.tree["branch_a"].pk]),
        {
            "person": other.pk,
            "first_month": "2025-01",
            "months": "1",
            "amount": "40",
            "paid_on": "2025-03-02",
            "method": "cash",
        },
    )
    assert response.status_code == 200 and not Payment.objects.exists()


def test_the_payment_form_names_each_members_monthly_dues(personas):
    branch = personas.tree["branch_a"]
    member_with_base(branch, "4000", name="王缴费")
    body = (
        personas.client("secretary_a")
        .get(reverse("dues:payment_add", args=[branch.pk]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "王缴费 (40.00 yuan a month)" in body
