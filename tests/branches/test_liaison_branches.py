import pytest
from django.urls import reverse

from branches.models import Organisation
from branches.views.home import BRANCHES_PER_PAGE
from tests.perf.data import build_branches

pytestmark = pytest.mark.django_db


def test_committee_member_sees_his_liaison_branches_only(personas):
    html = personas.client("committee").get(reverse("branches:liaison_branches")).content.decode()
    assert "甲党支部" in html
    assert "乙党支部" not in html


def test_a_liaison_member_of_many_branches_reads_them_page_by_page(personas):
    committee = personas.tree["committee"]
    member = personas.people["committee"]
    branches = list(
        Organisation.objects.filter(pk__in=build_branches(committee, BRANCHES_PER_PAGE + 5))
    )
    member.liaison_organisations.add(*branches)
    client = personas.client("committee")
    url = reverse("branches:liaison_branches")
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    second = client.get(url, {"page": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    names = [b.name for b in sorted([*branches, personas.tree["branch_a"]], key=lambda b: b.path)]
    assert all(name in first for name in names[:BRANCHES_PER_PAGE])
    assert not any(name in first for name in names[BRANCHES_PER_PAGE:])
    assert all(name in second for name in names[BRANCHES_PER_PAGE:])
    assert "Page 1 of 2" in first
