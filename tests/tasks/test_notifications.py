"""The notification centre and the unread count in the navigation bar."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.models import AuditEntry
from tasks.context_processors import notifications
from tasks.models import ChangeKind, Notification, NotificationPreference
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.claiming import claim_due_reminders
from tasks.reminders.sending import deliver_reminder
from tasks.views.notifications import PER_PAGE
from tests.builders.tasks import assignment_of, published_item

LIST = reverse("tasks:notification_list")
READ_ALL = reverse("tasks:notification_read_all")


def _notify(user, title="截止提醒", link="/tasks/assignments/1/", n=1):
    return [
        Notification.objects.create(user=user, title=f"{title}{i}", link=link) for i in range(n)
    ]


def test_the_list_shows_only_ones_own_notifications(personas):
    _notify(personas.user("secretary_a"), title="甲的提醒")
    _notify(personas.user("secretary_b"), title="乙的提醒")
    response = personas.client("secretary_a").get(LIST)
    assert response.status_code == 200
    assert "甲的提醒" in response.content.decode()
    assert "乙的提醒" not in response.content.decode()


def test_the_navigation_bar_shows_the_unread_count(personas):
    _notify(personas.user("secretary_a"), n=3)
    html = personas.client("secretary_a").get(LIST).content.decode()
    assert 'id="nav-notifications"' in html
    assert ">3</span>" in html


def test_no_count_when_all_is_read(personas):
    for n in _notify(personas.user("secretary_a"), n=2):
        Notification.objects.filter(pk=n.pk).update(read_at=n.created_at)
    html = personas.client("secretary_a").get(LIST).content.decode()
    assert "rounded-pill" not in html


def test_the_list_is_paged(personas):
    _notify(personas.user("member"), n=PER_PAGE + 5)
    client = personas.client("member")
    assert len(client.get(LIST).context["page"].object_list) == PER_PAGE
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5


def test_mark_one_as_read(personas):
    mine = _notify(personas.user("secretary_a"), n=2)
    response = personas.client("secretary_a").post(
        reverse("tasks:notification_read", args=[mine[0].pk])
    )
    assert response.status_code == 302 and response["Location"] == LIST
    assert Notification.objects.get(pk=mine[0].pk).read_at is not None
    assert Notification.objects.get(pk=mine[1].pk).read_at is None


def test_open_marks_read_and_follows_the_link(personas):
    (mine,) = _notify(personas.user("secretary_a"), link="/tasks/assignments/7/")
    response = personas.client("secretary_a").post(
        reverse("tasks:notification_read", args=[mine.pk]), {"open": "1"}
    )
    assert response["Location"] == "/tasks/assignments/7/"


def test_an_outside_link_is_not_followed(personas):
    (mine,) = _notify(personas.user("secretary_a"), link="https://evil.example/")
    response = personas.client("secretary_a").post(
        reverse("tasks:notification_read", args=[mine.pk]), {"open": "1"}
    )
    assert response["Location"] == LIST


def test_someone_elses_notification_is_a_404(personas):
    (theirs,) = _notify(personas.user("secretary_b"))
    response = personas.client("secretary_a").post(
        reverse("tasks:notification_read", args=[theirs.pk])
    )
    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_mark_all_as_read_touches_only_ones_own(personas):
    _notify(personas.user("secretary_a"), n=3)
    (theirs,) = _notify(personas.user("secretary_b"))
    response = personas.client("secretary_a").post(READ_ALL)
    assert response.status_code == 302
    assert not Notification.objects.filter(user=personas.user("secretary_a"), read_at=None)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


@pytest.mark.parametrize("url", [READ_ALL])
def test_anonymous_is_sent_to_login(personas, url):
    assert personas.client("anonymous").post(url).status_code == 302


def test_the_count_costs_one_query(personas, django_assert_num_queries):

    _notify(personas.user("secretary_a"), n=2)
    request = RequestFactory().get("/")
    request.user = personas.user("secretary_a")
    with django_assert_num_queries(1):
        assert notifications(request)["unread_notification_count"] == 2
    request.user = type("Anon", (), {"is_authenticated": False})()
    assert notifications(request) == {}


# --- the office sees which reminders went out, when and to whom ------------------------------


def _sent_reminder(personas):

    item = published_item(personas.tree["committee"], deadline=date(2030, 3, 20))
    assignment = assignment_of(item, personas.tree["branch_a"])
    now = datetime.combine(date(2030, 3, 13), time(9, 1), tzinfo=DEADLINE_TZ)
    for pk in claim_due_reminders(now):
        deliver_reminder(pk, now=now)
    return assignment


def test_the_office_sees_the_reminders_of_an_assignment(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assignment = _sent_reminder(personas)
    url = reverse("tasks:assignment_detail", args=[assignment.pk])
    html = personas.client("office").get(url).content.decode()
    assert 'id="reminders"' in html
    assert "2030-03-13 09:00" in html
    assert "甲书记" in html


@pytest.mark.parametrize("persona", ["secretary_a", "committee"])
def test_others_do_not_see_the_reminders_section(personas, settings, persona):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assignment = _sent_reminder(personas)
    url = reverse("tasks:assignment_detail", args=[assignment.pk])
    assert 'id="reminders"' not in personas.client(persona).get(url).content.decode()


def test_the_settings_page_chooses_which_changes_come_by_email(personas):
    client = personas.client("secretary_a")
    url = reverse("tasks:notification_settings")
    page = client.get(url)
    # Everything comes by email until switched off.
    assert set(page.context["form"].initial["change_emails"]) == set(ChangeKind.values)
    kept = [ChangeKind.RETURNED, ChangeKind.COMMENT]
    assert client.post(url, {"digests_enabled": "on", "change_emails": kept}).status_code == 302
    preference = NotificationPreference.objects.get(person=personas.people["secretary_a"])
    assert set(preference.muted_change_emails) == set(ChangeKind.values) - set(kept)
    assert preference.digests_enabled is True
    assert set(client.get(url).context["form"].initial["change_emails"]) == set(kept)
    assert AuditEntry.objects.filter(action="tasks.change_emails.switched").count() == 1
    # A made-up kind is refused as a whole; nothing changes.
    client.post(url, {"change_emails": ["everything"]})
    preference.refresh_from_db()
    assert set(preference.muted_change_emails) == set(ChangeKind.values) - set(kept)
