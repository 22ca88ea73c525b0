"""A secretary advances a development case by one step in the browser."""

from __future__ import annotations

import pytest
from django.urls import reverse

from branches.models import DevelopmentCase
from branches.services.rules import ensure_default_rules
from tests.builders.branch_life import applicant_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _rules():
    # A transactional test database is flushed: reload the rules the migration loaded.

    ensure_default_rules()


def test_secretary_records_the_talk_step(personas, login, page, live_server):
    case = applicant_case(personas.tree["branch_a"])
    login("secretary_a", personas.password())
    page.goto(f"{live_server.url}{reverse('branches:branch_development', args=[case.branch_id])}")
    with page.expect_navigation():
        page.click(f"a[href='{reverse('branches:branch_development_case', args=[case.pk])}']")
    page.fill("#step-form input[name=date]", "2020-03-10")
    page.fill("#step-form input[name=actor]", "甲书记")
    with page.expect_navigation():
        page.click("#step-form button[type=submit]")
    assert DevelopmentCase.objects.get(pk=case.pk).last_step.code == "talk"
    assert page.locator("#case-steps li").count() == 2
