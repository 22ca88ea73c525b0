"""Each role's home page in a browser: the navigation on one line at 1280 px, collapsed behind
the toggler at 360 px and opening there, and no serious or critical axe-core violation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tasks.models import local_today
from tests.builders.tasks import published_item
from tests.e2e.sessions import open_as, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ["office", "committee", "secretary_a"]
#: Bootstrap's navbar is about 56 px high on one line; a second line would add some 40 px.
ONE_LINE_PX = 72
MAX_GROUPS = 6


@pytest.fixture
def work(personas):
    """Something for the cards to count: a notice due soon and an overdue one."""
    committee = personas.tree["committee"]
    published_item(committee, deadline=local_today() + timedelta(days=3))
    published_item(committee, deadline=local_today() - timedelta(days=3))


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_navigation_fits_on_one_line_at_1280(browser, live_server, personas, work, role, language):
    context, page = open_as(browser, live_server, personas, role, 1280, language)
    try:
        assert page.locator(".home-cards .card").count() >= 1  # the home page's cards
        groups = page.locator("#nav-groups > li")
        assert 1 <= groups.count() <= MAX_GROUPS
        nav = page.locator("nav.navbar").bounding_box()
        assert nav["height"] <= ONE_LINE_PX, nav
        first = groups.first.bounding_box()
        last_item = page.locator("#mainnav .navbar-nav > li").last.bounding_box()
        assert abs(last_item["y"] - first["y"]) < 4, (first, last_item)
    finally:
        context.close()


@pytest.mark.parametrize("role", ROLES)
def test_phone_menu_is_collapsed_and_opens(browser, live_server, personas, work, role):
    context, page = open_as(browser, live_server, personas, role, 360)
    try:
        assert page.locator("#mainnav").is_hidden()
        page.click("button.navbar-toggler")
        page.locator("#mainnav.show").wait_for()
        first = page.locator("#nav-groups > li").first
        assert first.is_visible()
        toggle = first.locator("[data-bs-toggle=dropdown]")
        if toggle.count():
            toggle.click()
            first.locator(".dropdown-menu.show").wait_for()
            assert first.locator(".dropdown-item").first.is_visible()
        # Nothing sticks out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


@pytest.mark.parametrize("role", ROLES)
def test_home_page_has_no_serious_accessibility_violation(
    browser, live_server, personas, work, role
):
    context, page = open_as(browser, live_server, personas, role, 1280)
    try:
        bad = serious_violations(page)
        assert not bad, bad
    finally:
        context.close()
