"""The dues pages in a browser at 360 px: nothing sticks out sideways, the payment form is
usable, and no serious or critical axe-core violation."""

from __future__ import annotations

from datetime import date

import pytest

from tests.builders.dues import member_with_base, pay
from tests.e2e.sessions import open_as, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dues(personas):
    branch = personas.tree["branch_a"]
    for i in range(3):
        person = member_with_base(branch, "12345.67", month=date(2025, 1, 1), name=f"缴费党员{i}")
        pay(person, date(2025, 1, 1), 3, "740.73")
    return branch


@pytest.mark.parametrize("path", ["branch", "payment", "member"])
def test_dues_pages_fit_a_phone(browser, live_server, personas, dues, path):
    context, page = open_as(browser, live_server, personas, "secretary_a", 360)
    try:
        member = dues.people.get(name="缴费党员0")
        url = {
            "branch": f"/dues/branch/{dues.pk}/",
            "payment": f"/dues/branch/{dues.pk}/payment/",
            "member": f"/dues/member/{member.pk}/",
        }[path]
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_violations(page) == []
    finally:
        context.close()


def test_the_office_report_fits_a_phone(browser, live_server, personas, dues):
    context, page = open_as(browser, live_server, personas, "office", 360)
    try:
        page.goto(f"{live_server.url}/dues/office/")
        assert "/dues/committee/" in page.url
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_violations(page) == []
    finally:
        context.close()
