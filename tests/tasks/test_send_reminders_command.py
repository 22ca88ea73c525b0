"""manage.py send_reminders: one synchronous pass for cron deployments."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tasks.models import Reminder, ReminderStatus
from tests.builders.tasks import assignment_of, published_item


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def assignment(personas):
    secretary = personas.people["secretary_a"]
    secretary.email = "jia@example.cn"
    secretary.save(update_fields=["email"])
    item = published_item(personas.tree["committee"], deadline=date(2030, 3, 20))
    return assignment_of(item, personas.tree["branch_a"])


def _make_due(assignment) -> Reminder:
    reminder = Reminder.objects.filter(assignment=assignment).first()
    Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    return reminder


def test_nothing_due(assignment, mailoutbox):
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "none due" in out.getvalue()
    assert mailoutbox == []


def test_a_due_reminder_is_sent_once(assignment, mailoutbox, monkeypatch):
    # Outside quiet hours whatever the clock of the machine running the test says (checked
    # when claiming and again when sending).
    monkeypatch.setattr("tasks.reminders.in_quiet_hours", lambda moment, policy: False)
    monkeypatch.setattr("tasks.reminders.sending.in_quiet_hours", lambda moment, policy: False)
    reminder = _make_due(assignment)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "sent: 1" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["jia@example.cn"]]
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.SENT
    call_command("send_reminders", stdout=StringIO())
    assert len(mailoutbox) == 1


def test_quiet_hours_hold_the_pass(assignment, mailoutbox, monkeypatch):
    monkeypatch.setattr("tasks.reminders.in_quiet_hours", lambda moment, policy: True)
    reminder = _make_due(assignment)
    call_command("send_reminders", stdout=StringIO())
    assert mailoutbox == []
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.PLANNED
