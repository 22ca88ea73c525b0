"""The office sees failed reminders: on the assignment page with the error, and in one list."""

from __future__ import annotations

import smtplib
from datetime import date, datetime, time, timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse

from branches.models import RoleKind
from tasks.models import DeliveryStatus, Reminder, ReminderDelivery, ReminderStatus
from tasks.models.notices import DEADLINE_TZ
from tasks.reminders.claiming import claim_due_reminders, run_pass
from tasks.reminders.sending import MAX_ATTEMPTS
from tests.builders.branches import make_person
from tests.builders.tasks import assignment_of, published_item

DUE = datetime.combine(date(2030, 3, 13), time(9, 5), tzinfo=DEADLINE_TZ)


class RefusingBackend(EmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({"jia@example.cn": (550, b"no such user")})


@pytest.fixture
def failed(personas, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    secretary = personas.people["secretary_a"]
    secretary.email = "jia@example.cn"
    secretary.save(update_fields=["email"])
    item = published_item(personas.tree["committee"], deadline=date(2030, 3, 20))
    a = assignment_of(item, personas.tree["branch_a"])
    for attempt in range(MAX_ATTEMPTS):
        # Each failure puts the row back due again after a back-off (an hour at most).
        run_pass(DUE + timedelta(hours=attempt))
    return Reminder.objects.get(assignment=a, status=ReminderStatus.FAILED)


def test_a_refused_address_ends_failed_with_its_error(failed):
    assert "no such user" in failed.last_error or "550" in failed.last_error
    delivery = ReminderDelivery.objects.get(reminder=failed, channel="email")
    assert delivery.status == DeliveryStatus.FAILED and delivery.address == "jia@example.cn"


def test_a_failed_reminder_is_never_claimed_again(failed):
    assert claim_due_reminders(DUE) == []
    # The next reminders (of this assignment and the other branch's) are claimed when they
    # fall due; the failed one is not among them.
    after = Reminder.objects.filter(
        assignment=failed.assignment, status=ReminderStatus.PLANNED, due_at__gt=DUE
    ).earliest("due_at")
    due_then = Reminder.objects.filter(status=ReminderStatus.PLANNED, due_at=after.due_at)
    expected = sorted(due_then.values_list("pk", flat=True))
    assert after.pk in expected
    assert claim_due_reminders(after.due_at) == expected
    failed.refresh_from_db()
    assert failed.status == ReminderStatus.FAILED


def test_the_assignment_page_shows_the_failure(personas, failed):
    url = reverse("tasks:assignment_detail", args=[failed.assignment_id])
    page = personas.client("office").get(url).content.decode()
    assert "jia@example.cn" in page
    assert "text-bg-danger" in page


def test_the_failed_list_shows_it_to_the_office_only(personas, failed):
    url = reverse("tasks:failed_reminders")
    page = personas.client("office").get(url)
    assert page.status_code == 200
    assert [r.pk for r in page.context["page"]] == [failed.pk]
    assert reverse("tasks:assignment_detail", args=[failed.assignment_id]) in page.content.decode()
    assert personas.client("secretary_a").get(url).status_code == 404


def test_the_failed_list_of_another_committee_is_empty(personas, failed):

    other = make_person(
        "别所党办", None, username="o2", roles=[(RoleKind.OFFICE, personas.tree["other_committee"])]
    )

    client = Client()
    client.force_login(other.user)
    assert list(client.get(reverse("tasks:failed_reminders")).context["page"]) == []


def test_the_navbar_links_the_failed_list_for_the_office(personas):
    page = personas.client("office").get(reverse("tasks:notification_list")).content.decode()
    assert reverse("tasks:failed_reminders") in page
    page = personas.client("secretary_a").get(reverse("tasks:notification_list")).content.decode()
    assert reverse("tasks:failed_reminders") not in page
