"""A secretary records a meeting with its attendance list in the browser."""

from __future__ import annotations

import pytest
from django.urls import reverse

from branches.models import MeetingRecord
from branches.services.rules import ensure_default_rules
from tests.builders.branch_life import members

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _rules():
    # A transactional test database is flushed: reload the rules the migration loaded.

    ensure_default_rules()


def test_secretary_records_a_meeting_with_attendance(personas, login, page, live_server):
    branch = personas.tree["branch_a"]
    absent = members(branch, 3)[1]
    login("secretary_a", personas.password())
    page.goto(f"{live_server.url}{reverse('branches:branch_meeting_create', args=[branch.pk])}")
    page.select_option("select[name=meeting_type]", "general_meeting")
    page.fill("input[name=theme]", "学习党的二十大精神党员大会")
    page.fill("input[name=date]", "2022-10-25")
    page.select_option(f"select[name=att-{absent.pk}]", "absent")
    page.select_option(f"select[name=reason-{absent.pk}]", "business")
    with page.expect_navigation():
        page.click("#meeting-form button[type=submit]")
    meeting = MeetingRecord.objects.get()
    assert meeting.present_count == meeting.due_count - 1
    assert absent.name in page.locator("body").inner_text()
    assert (
        page.locator("#attendance-count").inner_text().strip()
        == f"{meeting.present_count} / {meeting.due_count}"
    )
