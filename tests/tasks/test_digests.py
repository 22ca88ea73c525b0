"""Daily digests: liaison members and the office once tasks are overdue, once a day, opt-out."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse

from tasks.models import (
    DIGEST_KINDS,
    Assignment,
    AssignmentStatus,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.preferences import set_digests_enabled
from tasks.reminders.claiming import run_pass
from tasks.reminders.digests import plan_digests
from tests.builders.tasks import assignment_of, published_item

DEADLINE = date(2030, 3, 20)
DAY = date(2030, 3, 23)  # three days after the deadline


def sh(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=DEADLINE_TZ)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.cn"


@pytest.fixture
def item(personas):
    for name in ("office", "committee", "secretary_a"):
        person = personas.people[name]
        person.email = f"{name}@example.cn"
        person.save(update_fields=["email"])
    return published_item(personas.tree["committee"], deadline=DEADLINE, title="报送学习情况")


def digests(**filters) -> list[Reminder]:
    return list(Reminder.objects.filter(kind__in=DIGEST_KINDS, **filters).order_by("kind"))


def digest_mail(mailoutbox) -> dict[str, object]:
    # Only these two get digests in these tests; the secretary gets deadline reminders.
    readers = ("committee@example.cn", "office@example.cn")
    return {m.to[0]: m for m in mailoutbox if m.to[0] in readers}


def test_nothing_is_planned_before_half_past_eight(item):
    assert plan_digests(sh(DAY, 8, 29)) == 0
    assert digests() == []


def test_liaison_member_and_office_get_one_row_each_per_day(personas, item):
    assert plan_digests(sh(DAY, 8, 31)) == 2
    rows = digests()
    assert [(r.kind, r.person_id, r.slot) for r in rows] == [
        (ReminderKind.LIAISON_DIGEST, personas.people["committee"].pk, "2030-03-23"),
        (ReminderKind.OFFICE_DIGEST, personas.people["office"].pk, "2030-03-23"),
    ]
    assert all(r.due_at == sh(DAY, 8, 30) for r in rows)
    # Every later beat of the day finds them planned already.
    assert plan_digests(sh(DAY, 8, 32)) == 0
    assert plan_digests(sh(DAY, 17, 0)) == 0
    assert len(digests()) == 2


def test_nobody_gets_a_digest_before_the_deadline_has_passed(item):
    assert plan_digests(sh(DEADLINE, 9)) == 0  # due today is not overdue


def test_the_pass_sends_each_digest_once(personas, item, mailoutbox):
    run_pass(sh(DAY, 8, 31))
    run_pass(sh(DAY, 8, 40))
    run_pass(sh(DAY, 12, 0))
    mail = digest_mail(mailoutbox)
    assert sorted(mail) == ["committee@example.cn", "office@example.cn"]
    assert sum(1 for m in mailoutbox if m.to[0] == "office@example.cn") == 1
    liaison = mail["committee@example.cn"].body
    a = assignment_of(item, personas.tree["branch_a"])
    b = assignment_of(item, personas.tree["branch_b"])
    # The liaison member hears of his branch A only; the office of every laggard by item.
    assert f"https://portal.example.cn/tasks/assignments/{a.pk}/" in liaison
    assert f"/tasks/assignments/{b.pk}/" not in liaison
    office = mail["office@example.cn"].body
    assert "报送学习情况" in office and "甲党支部" in office and "乙党支部" in office
    assert "3" in office  # days overdue
    assert all(r.status == ReminderStatus.SENT for r in digests())
    assert Notification.objects.filter(user=personas.user("office")).count() == 1


def test_a_new_day_brings_a_new_digest(personas, item, mailoutbox):
    run_pass(sh(DAY, 9))
    run_pass(sh(DAY + timedelta(days=1), 9))
    assert len(digests(person=personas.people["office"])) == 2
    assert sum(1 for m in mailoutbox if m.to[0] == "office@example.cn") == 2


def test_opting_out_stops_digests_but_not_deadline_reminders(personas, item, mailoutbox):
    set_digests_enabled(personas.people["committee"], False)
    plan_digests(sh(DAY, 9))
    assert [r.kind for r in digests()] == [ReminderKind.OFFICE_DIGEST]
    # A secretary who opts out still gets his branch's deadline reminders.
    set_digests_enabled(personas.people["secretary_a"], False)
    run_pass(sh(DAY, 9, 5))
    assert "secretary_a@example.cn" in [m.to[0] for m in mailoutbox]


def test_opting_out_after_planning_cancels_the_planned_row(personas, item, mailoutbox):
    plan_digests(sh(DAY, 8, 30))
    set_digests_enabled(personas.people["office"], False)
    run_pass(sh(DAY, 8, 31))
    row = digests(kind=ReminderKind.OFFICE_DIGEST)[0]
    assert row.status == ReminderStatus.CANCELLED and "switched off" in row.last_error
    assert "office@example.cn" not in digest_mail(mailoutbox)


def test_nothing_overdue_any_more_cancels_the_digest(personas, item, mailoutbox):
    plan_digests(sh(DAY, 8, 30))
    a = assignment_of(item, personas.tree["branch_a"])
    Assignment.objects.filter(pk=a.pk).update(status=AssignmentStatus.SUBMITTED)
    run_pass(sh(DAY, 8, 31))
    liaison = digests(kind=ReminderKind.LIAISON_DIGEST)[0]
    assert liaison.status == ReminderStatus.CANCELLED
    assert "office@example.cn" in digest_mail(mailoutbox)  # branch B still owes it


def test_a_digest_of_an_earlier_day_is_never_sent(personas, item, mailoutbox):
    plan_digests(sh(DAY, 8, 30))
    run_pass(sh(DAY + timedelta(days=1), 8, 20))  # the beat was down for a day
    assert digest_mail(mailoutbox) == {}
    assert {r.status for r in digests(slot=DAY.isoformat())} == {ReminderStatus.CANCELLED}


def test_quiet_hours_ending_later_hold_the_digest(personas, item):
    ReminderPolicy.objects.filter(is_default=True).update(quiet_end_hour=9)
    plan_digests(sh(DAY, 8, 45))
    assert {r.due_at for r in digests()} == {sh(DAY, 9)}


def test_people_without_login_or_address_are_not_planned(personas, item):
    office = personas.people["office"]
    office.email = ""
    office.user = None
    office.save(update_fields=["email", "user"])
    plan_digests(sh(DAY, 9))
    assert [r.kind for r in digests()] == [ReminderKind.LIAISON_DIGEST]


def test_the_settings_page_switches_digests_off(personas):
    client = personas.client("committee")
    url = reverse("tasks:notification_settings")
    page = client.get(url)
    assert page.status_code == 200
    assert (
        url in client.get(reverse("branches:home"), follow=True).content.decode()
    )  # the navbar link
    response = client.post(url, {})  # the unticked box
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(person=personas.people["committee"])
    assert preference.digests_enabled is False
    client.post(url, {"digests_enabled": "on"})
    preference.refresh_from_db()
    assert preference.digests_enabled is True
