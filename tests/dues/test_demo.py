"""The demo data holds a year of dues for the demo branches."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from branches.models import Organisation, OrgKind, Person
from branches.services.self_departure import self_departures
from dues.models import MonthlyBase, Payment
from dues.reports import branch_year_totals, member_year_rows

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_dues_and_is_idempotent():
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (MonthlyBase.objects.count(), Payment.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (MonthlyBase.objects.count(), Payment.objects.count()) == counts
    today = timezone.localdate()
    months = set(Payment.objects.values_list("first_month", flat=True))
    assert len(months) >= 6
    for branch in Organisation.objects.filter(kind=OrgKind.BRANCH):
        members = Person.objects.active().members().filter(branch=branch)
        assert MonthlyBase.objects.filter(person__in=members).count() >= members.count(), branch
        assert Payment.objects.filter(branch=branch).exists(), branch
        assert branch_year_totals(branch, today.year).paid > Decimal("0"), branch
    lapsed_branch = Organisation.objects.get(name="细胞生物学第一党支部")
    flagged = self_departures(lapsed_branch, today)
    assert any(f.dues == "unpaid" for f in flagged)
    rows = member_year_rows(lapsed_branch, today.year)
    assert any(r.arrears > 0 for r in rows) and any(r.arrears == 0 for r in rows)
