"""The office's audit log and locked-login pages (locked pairs and locked addresses)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.audit import log_action
from portal.audit_actions import ACTION_ADDRESS_UNLOCKED, ACTION_LOGIN, ACTION_LOGIN_UNLOCKED
from portal.models import AuditEntry
from tasks.audit_actions import ACTION_ASSIGNMENT_RETURNED
from tests.builders.branches import make_person
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


def lock(username: str, ip: str = "10.7.7.7") -> None:
    for _ in range(5):
        Client(REMOTE_ADDR=ip).post(reverse("login"), {"username": username, "password": "x"})


def test_office_unlocks_a_locked_account(personas):
    lock("secretary_a")
    office = personas.client("office")
    page = office.get(reverse("branches:office_lockouts")).content.decode()
    assert "secretary_a" in page
    attempt = AccessAttempt.objects.get(username="secretary_a")
    response = office.post(reverse("branches:office_unlock", args=[attempt.pk]))
    assert response.status_code == 302
    login = Client(REMOTE_ADDR="10.7.7.7").post(
        reverse("login"), {"username": "secretary_a", "password": personas.password()}
    )
    assert login.status_code == 302
    assert AuditEntry.objects.filter(action=ACTION_LOGIN_UNLOCKED).exists()


def test_only_the_office_may_unlock(personas):
    lock("secretary_b")
    attempt = AccessAttempt.objects.get(username="secretary_b")
    response = personas.client("secretary_a").post(
        reverse("branches:office_unlock", args=[attempt.pk])
    )
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def login(username: str, password: str, ip: str) -> int:
    return (
        Client(REMOTE_ADDR=ip)
        .post(reverse("login"), {"username": username, "password": password})
        .status_code
    )


def test_unlocking_a_pair_leaves_other_pairs_from_the_address_locked(personas):
    lock("secretary_a")
    lock("secretary_b")
    office = personas.client("office")
    page = office.get(reverse("branches:office_lockouts")).content.decode()
    assert "secretary_a" in page and "secretary_b" in page
    attempt = AccessAttempt.objects.get(username="secretary_a")
    office.post(reverse("branches:office_unlock", args=[attempt.pk]))
    assert login("secretary_a", personas.password(), "10.7.7.7") == 302
    assert login("secretary_b", personas.password(), "10.7.7.7") == 429


def lock_address(ip: str, failures: int) -> None:
    for n in range(failures):
        Client(REMOTE_ADDR=ip).post(reverse("login"), {"username": f"guess{n}", "password": "x"})


def test_office_lists_and_lifts_an_address_lock(personas, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    lock_address("10.8.8.8", 6)
    lock_address("10.8.8.9", 5)  # under the threshold: not listed
    assert login("secretary_b", personas.password(), "10.8.8.8") == 429
    office = personas.client("office")
    response = office.get(reverse("branches:office_lockouts"))
    assert [lock["ip_address"] for lock in response.context["address_locks"]] == ["10.8.8.8"]
    assert list(response.context["pair_locks"]) == []  # one failure per name locks no pair
    assert reverse("branches:office_unlock_address", args=["10.8.8.8"]) in response.content.decode()

    done = office.post(reverse("branches:office_unlock_address", args=["10.8.8.8"]))
    assert done.status_code == 302
    assert login("secretary_b", personas.password(), "10.8.8.8") == 302
    entry = AuditEntry.objects.get(action=ACTION_ADDRESS_UNLOCKED)
    assert entry.data == {"ip": "10.8.8.8"} and entry.user == personas.user("office")


def test_only_the_office_may_unlock_an_address_and_only_a_locked_one(personas, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 6
    lock_address("10.8.8.8", 6)
    url = reverse("branches:office_unlock_address", args=["10.8.8.8"])
    assert personas.client("secretary_a").post(url).status_code == 404
    assert login("secretary_b", personas.password(), "10.8.8.8") == 429
    office = personas.client("office")
    assert (
        office.post(reverse("branches:office_unlock_address", args=["10.8.8.7"])).status_code == 404
    )
    assert not AuditEntry.objects.filter(action=ACTION_ADDRESS_UNLOCKED).exists()


def test_audit_log_filters_by_action_user_and_date(personas):
    log_action(None, ACTION_ASSIGNMENT_RETURNED, user=personas.user("office"))
    log_action(None, ACTION_LOGIN, user=personas.user("secretary_a"))
    office = personas.client("office")
    url = reverse("branches:office_audit_log")
    workflow = office.get(url, {"action": "tasks."}).content.decode()
    assert ACTION_ASSIGNMENT_RETURNED in workflow and "<code>auth.login</code>" not in workflow
    by_user = office.get(url, {"user": "secretary_a"}).content.decode()
    assert "<code>auth.login</code>" in by_user
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    future = office.get(url, {"start": tomorrow}).content.decode()
    assert ACTION_ASSIGNMENT_RETURNED not in future


def test_unknown_filter_values_are_ignored_with_a_message(personas):
    response = personas.client("office").get(
        reverse("branches:office_audit_log"), {"action": "nonsense", "start": "not-a-date"}
    )
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1


def test_audit_log_hides_other_institutes(personas):

    stranger = make_person("外所人员", personas.tree["other_branch"], username="stranger")
    log_action(None, ACTION_LOGIN, user=stranger.user)
    page = personas.client("office").get(reverse("branches:office_audit_log")).content.decode()
    assert "stranger" not in page


def test_another_committees_office_neither_sees_nor_lifts_the_lockout(second_committee):
    lock("secretary_a")
    lock("nobody-has-this-name", ip="10.8.8.8")
    attempt = AccessAttempt.objects.get(username="secretary_a")
    other_office = second_committee.client("office_2")
    page = other_office.get(reverse("branches:office_lockouts")).content.decode()
    assert "secretary_a" not in page
    assert "nobody-has-this-name" in page  # a name no account has belongs to no committee
    response = other_office.post(reverse("branches:office_unlock", args=[attempt.pk]))
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    own = second_committee.client("office")
    assert own.post(reverse("branches:office_unlock", args=[attempt.pk])).status_code == 302
