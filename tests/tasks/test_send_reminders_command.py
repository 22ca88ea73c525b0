"""manage.py send_reminders: one synchronous pass for cron deployments."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tasks.models import Reminder, ReminderPolicy, ReminderStatus
from tests.builders.tasks import assignment_of, published_item
from tests.clock import BEIJING

#: Two days before the first reminder of a task due on 20 March 2030, in working hours.
MORNING = datetime(2030, 3, 11, 10, 0, tzinfo=BEIJING)
#: The same evening, inside the default quiet hours (21:00-08:00).
NIGHT = datetime(2030, 3, 11, 23, 30, tzinfo=BEIJING)

pytestmark = pytest.mark.clock(at=MORNING)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _default_quiet_hours(db):
    ReminderPolicy.objects.update_or_create(
        is_default=True, defaults={"quiet_start_hour": 21, "quiet_end_hour": 8}
    )


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


def test_a_due_reminder_is_sent_once(assignment, mailoutbox):
    reminder = _make_due(assignment)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "sent: 1" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["jia@example.cn"]]
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.SENT
    call_command("send_reminders", stdout=StringIO())
    assert len(mailoutbox) == 1


@pytest.mark.clock(at=NIGHT)
def test_quiet_hours_hold_the_pass(assignment, mailoutbox):
    reminder = _make_due(assignment)
    call_command("send_reminders", stdout=StringIO())
    assert mailoutbox == []
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.PLANNED
