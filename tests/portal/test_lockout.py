"""Repeated failed logins lock the (user name, IP address) pair, and, at a higher threshold across
user names, the IP address (django-axes with portal.lockout)."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.audit_actions import ACTION_LOCKED_OUT, ACTION_LOGIN
from portal.models import AuditEntry, AuditResult

pytestmark = pytest.mark.django_db


def attempt(username: str, password: str, ip: str = "10.1.1.1"):
    return Client(REMOTE_ADDR=ip).post(
        reverse("login"), {"username": username, "password": password}
    )


def test_five_failures_lock_the_pair_only(personas):
    statuses = [attempt("secretary_a", "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = attempt("secretary_a", personas.password())
    assert locked.status_code == 429
    assert "office" in locked.content.decode().lower() or "党办" in locked.content.decode()
    # Another person behind the same address (the office's shared connection) still logs in...
    assert attempt("secretary_b", personas.password()).status_code == 302
    # ...and so does the same person from another address: nobody can lock an account from afar.
    assert attempt("secretary_a", personas.password(), ip="10.9.9.9").status_code == 302


def test_the_address_is_locked_across_names_at_fifty_failures(personas, settings):
    assert settings.LOGIN_IP_FAILURE_LIMIT == 50 and settings.AXES_FAILURE_LIMIT == 5
    names = [f"guess{n}" for n in range(13)]
    for n in range(49):  # under four failures per name: no pair is locked
        assert attempt(names[n % 13], "wrong", ip="10.2.2.2").status_code == 200
    assert attempt("secretary_b", personas.password(), ip="10.2.2.2").status_code == 302
    assert attempt("someone_else", "wrong", ip="10.2.2.2").status_code == 429  # the fiftieth
    assert attempt("secretary_a", personas.password(), ip="10.2.2.2").status_code == 429
    assert attempt("secretary_a", personas.password(), ip="10.2.2.3").status_code == 302
    assert AuditEntry.objects.filter(action=ACTION_LOCKED_OUT, ip_address="10.2.2.2").exists()


def test_the_address_threshold_comes_from_its_own_setting(personas, settings):
    settings.LOGIN_IP_FAILURE_LIMIT = 3
    attempt("x1", "wrong", ip="10.2.2.4")
    attempt("x2", "wrong", ip="10.2.2.4")
    assert attempt("x3", "wrong", ip="10.2.2.4").status_code == 429
    assert attempt("secretary_b", personas.password(), ip="10.2.2.4").status_code == 429


def test_every_login_success_and_failure_is_audited(personas):
    attempt("secretary_a", "wrong", ip="10.3.3.3")
    attempt("secretary_a", personas.password(), ip="10.3.3.3")
    failed = AuditEntry.objects.get(action=ACTION_LOGIN, result=AuditResult.FAILED)
    assert (failed.username, failed.ip_address) == ("secretary_a", "10.3.3.3")
    succeeded = AuditEntry.objects.get(action=ACTION_LOGIN, result=AuditResult.OK)
    assert succeeded.user == personas.user("secretary_a")
    assert succeeded.ip_address == "10.3.3.3"


def test_lockout_is_audited(personas):
    for _ in range(6):
        attempt("secretary_a", "wrong", ip="10.4.4.4")
    assert AuditEntry.objects.filter(action=ACTION_LOCKED_OUT, username="secretary_a").exists()


def test_behind_a_proxy_the_forwarded_address_counts(personas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="spoofed, 10.6.6.6").post(
            reverse("login"), {"username": f"nobody{_}", "password": "x"}
        )
    entry = AuditEntry.objects.filter(action=ACTION_LOGIN, result=AuditResult.FAILED).first()
    assert entry.ip_address == "10.6.6.6"
    other_client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.6.6.7")
    response = other_client.post(
        reverse("login"), {"username": "secretary_b", "password": personas.password()}
    )
    assert response.status_code == 302  # the proxy's own address is not locked
