from datetime import date

import pytest
from django.urls import reverse

from tests.builders.branches import make_person
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.django_db


def url(personas, key="branch_a", **query):
    base = reverse("branches:organisation_detail", args=[personas.tree[key].pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_secretary_sees_his_roster_with_full_phone_numbers(personas):
    html = personas.client("secretary_a").get(url(personas)).content.decode()
    assert "甲书记" in html and "普通党员" in html
    assert "13912345678" in html


def test_committee_member_sees_masked_phone_numbers(personas):
    html = personas.client("committee").get(url(personas)).content.decode()
    assert "139****5678" in html
    assert "13912345678" not in html


def test_other_branch_is_a_404_for_a_secretary(personas):
    assert personas.client("secretary_a").get(url(personas, "branch_b")).status_code == 404


def test_roster_is_paged_and_searchable(personas):
    for i in range(60):
        make_person(f"测试人员{i:02d}", personas.tree["branch_a"])
    client = personas.client("secretary_a")
    first = client.get(url(personas)).content.decode()
    assert "第 1 页，共 2 页" in first or "Page 1 of 2" in first
    found = client.get(url(personas, q="测试人员07")).content.decode()
    assert "测试人员07" in found and "测试人员08" not in found


def test_bad_page_number_shows_the_last_page_not_an_error(personas):
    response = personas.client("secretary_a").get(url(personas, page="999"))
    assert response.status_code == 200


def test_paging_links_keep_the_search(personas):
    for i in range(60):
        make_person(f"测试人员{i:02d}", personas.tree["branch_a"])
    html = personas.client("secretary_a").get(url(personas, q="测试")).content.decode()
    assert "?q=%E6%B5%8B%E8%AF%95&amp;page=2" in html


@pytest.mark.clock(at=WORKDAY_MORNING)
def test_branch_page_shows_the_committee_term_warning(personas):
    branch = personas.tree["branch_a"]
    branch.last_election_on = date(2023, 6, 15)  # three years before the fixed clock
    branch.save()
    html = personas.client("secretary_a").get(url(personas)).content.decode()
    assert "2026-06-15" in html
