"""The personal deadline calendar: iCal text rules, the secret address and its replacement."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tasks.ical import Event, calendar, escape, fold
from tasks.models import Assignment, AssignmentStatus, NotificationPreference, local_today
from tasks.preferences import regenerate_calendar_token
from tests.builders.tasks import assignment_of, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


def test_text_values_are_escaped():
    assert escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "党支部工作提示" * 20
    folded = fold(line).split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in folded)
    assert all(part.startswith(" ") for part in folded[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(folded)) == line


def test_a_calendar_has_crlf_lines_and_all_day_events():
    text = calendar(
        [Event("a-1@x", date(2030, 3, 20), "截止：报送, 材料", "说明", "https://x/a/1/")],
        name="deadlines",
        now=datetime(2030, 1, 1, tzinfo=UTC),
    )
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART;VALUE=DATE:20300320\r\n" in text
    assert "DTEND;VALUE=DATE:20300321\r\n" in text
    assert "SUMMARY:截止：报送\\, 材料\r\n" in text
    assert "DTSTAMP:20300101T000000Z\r\n" in text


@pytest.fixture
def feed(personas, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    item = published_item(personas.tree["committee"], deadline=date(2030, 3, 20), title="报送材料")
    token = regenerate_calendar_token(personas.people["secretary_a"])
    return item, token


def test_the_feed_lists_the_open_assignments_of_the_users_branches(personas, feed):
    item, token = feed
    a = assignment_of(item, personas.tree["branch_a"])
    response = Client().get(reverse("tasks:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.count("BEGIN:VEVENT") == 1  # branch A's only, not branch B's
    assert "DTSTART;VALUE=DATE:20300320" in text
    unfolded = text.replace("\r\n ", "")
    assert f"URL:https://portal.example.cn/tasks/assignments/{a.pk}/" in unfolded
    assert "报送材料" in unfolded


def test_an_extension_moves_the_event_and_handing_in_removes_it(personas, feed):
    item, token = feed
    a = assignment_of(item, personas.tree["branch_a"])
    url = reverse("tasks:calendar_feed", args=[token])
    Assignment.objects.filter(pk=a.pk).update(extended_until=date(2030, 4, 2))
    assert "DTSTART;VALUE=DATE:20300402" in Client().get(url).content.decode()
    Assignment.objects.filter(pk=a.pk).update(status=AssignmentStatus.SUBMITTED)
    assert "BEGIN:VEVENT" not in Client().get(url).content.decode()


def test_a_wrong_token_is_a_404(feed):
    assert Client().get(reverse("tasks:calendar_feed", args=["nope"])).status_code == 404


def test_regenerating_makes_the_old_address_a_404(personas, feed):
    _item, token = feed
    old = reverse("tasks:calendar_feed", args=[token])
    client = personas.client("secretary_a")
    response = client.post(reverse("tasks:calendar_regenerate"))
    assert response.status_code == 302
    new_token = NotificationPreference.objects.get(person=personas.people["secretary_a"])
    assert new_token.calendar_token != token
    assert Client().get(old).status_code == 404
    fresh = reverse("tasks:calendar_feed", args=[new_token.calendar_token])
    assert Client().get(fresh).status_code == 200
    page = client.get(reverse("tasks:notification_settings")).content.decode()
    assert fresh in page


def test_the_settings_page_offers_to_create_the_address(personas):
    client = personas.client("secretary_b")
    assert (
        reverse("tasks:calendar_regenerate")
        in client.get(reverse("tasks:notification_settings")).content.decode()
    )
    client.post(reverse("tasks:calendar_regenerate"))
    assert NotificationPreference.objects.get(person=personas.people["secretary_b"]).calendar_token


def test_office_and_committee_members_get_the_committees_item_deadlines(personas, feed):
    item, _token = feed
    assignment_of(item, personas.tree["branch_a"])
    assignment_of(item, personas.tree["branch_b"])
    notice = item.area.notice
    for persona, page in (("office", "dashboard"), ("committee", "liaison")):
        token = regenerate_calendar_token(personas.people[persona])
        text = Client().get(reverse("tasks:calendar_feed", args=[token])).content.decode()
        unfolded = text.replace("\r\n ", "")
        assert text.count("BEGIN:VEVENT") == 1  # one per item, not one per branch
        assert "DTSTART;VALUE=DATE:20300320" in text
        assert f"UID:item-{item.pk}@portal.example.cn" in unfolded
        assert f"URL:https://portal.example.cn/tasks/notices/{notice.pk}/{page}/" in unfolded


def test_withdrawn_items_leave_the_office_feed(personas, feed):

    item, _token = feed
    token = regenerate_calendar_token(personas.people["office"])
    url = reverse("tasks:calendar_feed", args=[token])
    assert "BEGIN:VEVENT" in Client().get(url).content.decode()
    type(item).objects.filter(pk=item.pk).update(withdrawn_at=timezone.now())
    assert "BEGIN:VEVENT" not in Client().get(url).content.decode()


def test_a_plain_member_gets_an_empty_calendar(personas, feed):
    item, _token = feed
    assignment_of(item, personas.tree["branch_a"])
    token = regenerate_calendar_token(personas.people["member"])
    text = Client().get(reverse("tasks:calendar_feed", args=[token])).content.decode()
    assert "BEGIN:VCALENDAR" in text and "BEGIN:VEVENT" not in text


def test_an_old_item_stays_in_the_office_feed_while_a_branch_still_owes_it(personas, settings):

    settings.PORTAL_BASE_URL = "https://portal.example.cn"
    old = local_today() - timedelta(days=400)
    owed = published_item(personas.tree["committee"], deadline=old, title="去年的材料")
    done = published_item(personas.tree["committee"], deadline=old, title="早已交齐")
    assert Assignment.objects.filter(item=owed).exists()  # still owed by every branch
    Assignment.objects.filter(item=done).update(status=AssignmentStatus.APPROVED)
    token = regenerate_calendar_token(personas.people["office"])
    text = Client().get(reverse("tasks:calendar_feed", args=[token])).content.decode()
    unfolded = text.replace("\r\n ", "")
    assert "去年的材料" in unfolded and "早已交齐" not in unfolded
