"""The office's audit log and locked-login pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.audit import log_action
from portal.models import AuditEntry
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


def lock(username: str, ip: str = "10.7.7.7") -> None:
    for _ in range(5):
        Client(REMOTE_ADDR=ip).post(reverse("login"), {"username": username, "password": "x"})


def test_office_unlocks_a_locked_account(personas):
    lock("secretary_a")
    office = personas.client("office")
    page = office.get(reverse("office_lockouts")).content.decode()
    assert "secretary_a" in page
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="secretary_a")
    response = office.post(reverse("office_unlock", args=[attempt.pk]))
    assert response.status_code == 302
    login = Client(REMOTE_ADDR="10.7.7.7").post(
        reverse("login"), {"username": "secretary_a", "password": personas.password()}
    )
    assert login.status_code == 302
    assert AuditEntry.objects.filter(action="security.login_unlocked").exists()


def test_only_the_office_may_unlock(personas):
    lock("secretary_b")
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.get(username="secretary_b")
    response = personas.client("secretary_a").post(reverse("office_unlock", args=[attempt.pk]))
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_audit_log_filters_by_action_user_and_date(personas):
    log_action(None, "tasks.assignment.returned", user=personas.user("office"))
    log_action(None, "auth.login", user=personas.user("secretary_a"))
    office = personas.client("office")
    url = reverse("office_audit_log")
    workflow = office.get(url, {"action": "tasks."}).content.decode()
    assert "tasks.assignment.returned" in workflow and "<code>auth.login</code>" not in workflow
    by_user = office.get(url, {"user": "secretary_a"}).content.decode()
    assert "<code>auth.login</code>" in by_user
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = office.get(url, {"start": tomorrow}).content.decode()
    assert "tasks.assignment.returned" not in future


def test_unknown_filter_values_are_ignored_with_a_message(personas):
    response = personas.client("office").get(
        reverse("office_audit_log"), {"action": "nonsense", "start": "not-a-date"}
    )
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1


def test_audit_log_hides_other_institutes(personas):
    from tests.factories import make_person

    stranger = make_person("外所人员", personas.tree["other_branch"], username="stranger")
    log_action(None, "auth.login", user=stranger.user)
    page = personas.client("office").get(reverse("office_audit_log")).content.decode()
    assert "stranger" not in page
