"""催办 goes out at once as a reminder row of kind "urge"; "urge all missing" for a task item."""

from __future__ import annotations

from datetime import date, datetime, time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError

from branches.models import RoleKind
from portal.jobs import publish_outbox
from portal.models import AuditEntry, OutboxMessage
from tasks import services
from tasks.access import reviewable_assignments
from tasks.models import (
    Assignment,
    AssignmentStatus,
    Reminder,
    ReminderKind,
    ReminderStatus,
    UrgeRecord,
)
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.claiming import claim_due_reminders
from tasks.reminders.sending import deliver_reminder
from tests.builders.branches import make_person
from tests.builders.tasks import assignment_of, published_item

DEADLINE = date(2030, 3, 20)

pytestmark = pytest.mark.clock(at=datetime(2030, 3, 18, 9, 0, tzinfo=DEADLINE_TZ))


def _queued() -> list[tuple[str, list]]:
    return [
        (m.task, m.args) for m in OutboxMessage.objects.filter(published_at=None).order_by("id")
    ]


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def item(personas):
    for name in ("secretary_a", "secretary_b"):
        person = personas.people[name]
        person.email = f"{name}@example.cn"
        person.save(update_fields=["email"])
    return published_item(personas.tree["committee"], deadline=DEADLINE)


def _daytime(time_machine, hour=10):
    """Stops the clock at ``hour`` o'clock two days before the deadline."""
    now = datetime.combine(date(2030, 3, 18), time(hour), tzinfo=DEADLINE_TZ)
    time_machine.move_to(now, tick=False)
    return now


def test_an_urge_is_claimed_and_queued_in_its_transaction(personas, item, time_machine):
    now = _daytime(time_machine)
    a = assignment_of(item, personas.tree["branch_a"])
    with mock.patch("portal.outbox.app.send_task") as send:
        record = services.urge(a.pk, personas.user("office"))
        assert not send.called  # the request never talks to the broker
        row = Reminder.objects.get(kind=ReminderKind.URGE)
        assert _queued() == [("tasks.send_reminder", [row.pk])]
        assert publish_outbox() == 1  # the beat's publisher sends it
    send.assert_called_once_with("tasks.send_reminder", args=[row.pk], retry=False)
    assert (row.assignment_id, row.slot, row.status) == (
        a.pk,
        f"urge:{record.pk}",
        ReminderStatus.QUEUED,
    )
    assert row.claimed_at == now
    assert row.pk not in claim_due_reminders(now)  # already claimed: the beat leaves it alone


def test_the_urge_email_says_who_presses(personas, item, time_machine, mailoutbox):
    now = _daytime(time_machine)
    a = assignment_of(item, personas.tree["branch_a"])
    record = services.urge(a.pk, personas.user("office"))
    row = Reminder.objects.get(kind=ReminderKind.URGE)
    assert deliver_reminder(row.pk, now=now) == ReminderStatus.SENT
    assert [m.to[0] for m in mailoutbox] == ["secretary_a@example.cn"]
    assert "party office" in mailoutbox[0].body or "党办" in mailoutbox[0].body
    record.refresh_from_db()
    assert record.delivered_at == now
    assert deliver_reminder(row.pk, now=now) == "already sent"
    assert len(mailoutbox) == 1


def test_an_urge_in_quiet_hours_waits_for_the_morning(personas, item, time_machine):
    _daytime(time_machine, hour=22)
    services.urge(assignment_of(item, personas.tree["branch_a"]).pk, personas.user("office"))
    row = Reminder.objects.get(kind=ReminderKind.URGE)
    assert row.status == ReminderStatus.PLANNED and row.claimed_at is None
    assert row.due_at == datetime.combine(date(2030, 3, 19), time(8), tzinfo=DEADLINE_TZ)


def test_planning_leaves_urges_alone(personas, item, time_machine):
    _daytime(time_machine, hour=22)
    a = assignment_of(item, personas.tree["branch_a"])
    services.urge(a.pk, personas.user("office"))
    services.grant_extension(a.pk, personas.user("office"), until=date(2030, 4, 1))
    assert Reminder.objects.filter(kind=ReminderKind.URGE, status=ReminderStatus.PLANNED).exists()


def test_an_urge_of_submitted_work_is_cancelled_not_sent(personas, item, time_machine, mailoutbox):
    now = _daytime(time_machine)
    a = assignment_of(item, personas.tree["branch_a"])
    services.urge(a.pk, personas.user("office"))
    Assignment.objects.filter(pk=a.pk).update(status=AssignmentStatus.SUBMITTED)
    row = Reminder.objects.get(kind=ReminderKind.URGE)
    assert deliver_reminder(row.pk, now=now) == ReminderStatus.CANCELLED
    assert mailoutbox == []


def test_urge_all_missing_urges_every_open_branch_once(personas, item, time_machine):
    now = _daytime(time_machine)
    a = assignment_of(item, personas.tree["branch_a"])
    b = assignment_of(item, personas.tree["branch_b"])
    Assignment.objects.filter(pk=b.pk).update(status=AssignmentStatus.APPROVED)
    office = personas.user("office")
    result = services.urge_all_missing(item, office, reviewable_assignments(office), now=now)
    open_count = Assignment.objects.filter(item=item, status=AssignmentStatus.PENDING).count()
    assert result.urged == open_count >= 1
    assert not UrgeRecord.objects.filter(assignment=b).exists()
    rows = Reminder.objects.filter(kind=ReminderKind.URGE)
    assert rows.count() == open_count
    assert set(rows.values_list("status", flat=True)) == {ReminderStatus.QUEUED}
    assert rows.filter(assignment=a).exists()
    assert AuditEntry.objects.filter(action="tasks.assignment.urged").count() == open_count
    # Pressed again the same day: nobody is urged twice.
    again = services.urge_all_missing(item, office, reviewable_assignments(office), now=now)
    assert (again.urged, again.already) == (0, open_count)
    assert Reminder.objects.filter(kind=ReminderKind.URGE).count() == open_count


def test_urge_all_button_on_the_review_list_and_its_endpoint(personas, item, time_machine):
    _daytime(time_machine)
    client = personas.client("office")
    page = client.get(reverse("tasks:review_list"), {"notice": item.area.notice_id, "status": ""})
    url = reverse("tasks:item_urge_all", args=[item.pk])
    assert url in page.content.decode()
    response = client.post(url, {"next": "/tasks/review/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/review/"
    rows = Reminder.objects.filter(kind=ReminderKind.URGE)
    assert sorted(_queued()) == [
        ("tasks.send_reminder", [pk]) for pk in sorted(rows.values_list("pk", flat=True))
    ]
    assert rows.count() >= 2


@pytest.mark.parametrize("persona", ["committee", "secretary_a", "regional"])
def test_only_the_office_may_urge_all(personas, item, persona):
    response = personas.client(persona).post(reverse("tasks:item_urge_all", args=[item.pk]))
    assert response.status_code == 404
    assert not UrgeRecord.objects.exists()


def test_the_office_of_another_committee_cannot_urge_all(personas, item):

    other = make_person(
        "别所党办",
        None,
        username="other_office",
        roles=[(RoleKind.OFFICE, personas.tree["other_committee"])],
    )

    client = Client()
    client.force_login(other.user)
    response = client.post(reverse("tasks:item_urge_all", args=[item.pk]))
    assert response.status_code == 404
    assert not UrgeRecord.objects.exists()


def test_with_the_broker_down_the_urge_waits_in_the_outbox(personas, item, time_machine):

    _daytime(time_machine)
    a = assignment_of(item, personas.tree["branch_a"])
    with mock.patch("portal.outbox.app.send_task", side_effect=OperationalError("down")):
        services.urge(a.pk, personas.user("office"))
        assert publish_outbox() == 0
    row = Reminder.objects.get(kind=ReminderKind.URGE)
    assert row.status == ReminderStatus.QUEUED
    with mock.patch("portal.outbox.app.send_task") as send:
        assert publish_outbox() == 1  # the broker is back: the next pass sends it
    send.assert_called_once_with("tasks.send_reminder", args=[row.pk], retry=False)


def test_urge_all_in_quiet_hours_tells_the_office_when_they_go_out(personas, item, time_machine):
    _daytime(time_machine, hour=23)
    response = personas.client("office").post(
        reverse("tasks:item_urge_all", args=[item.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Urged 2 branches; the reminders are on their way. It is quiet hours: the reminder "
        "will go out tomorrow morning at 08:00."
    ]
