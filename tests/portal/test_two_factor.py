"""Two-factor login: optional for everyone, required for office staff when configured, with
one-time recovery codes for a lost phone."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit_actions import (
    ACTION_RECOVERY_CODE_USED,
    ACTION_RECOVERY_CODES_GENERATED,
    ACTION_TWO_FACTOR_VERIFIED,
)
from portal.models import AuditEntry, AuditResult
from portal.two_factor import new_recovery_codes
from tests.portal.test_settings import PRODUCTION_ENV, manage

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_user_with_a_device_must_type_the_code_first(personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code otherwise delays the next try
    device = enrol(personas.user("secretary_a"))
    client = personas.client("secretary_a")
    response = client.get(reverse("branches:my_profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))

    wrong = client.post(reverse("two_factor_verify"), {"token": "000000", "next": "/me/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get(reverse("branches:my_profile")).status_code == 302

    right = client.post(reverse("two_factor_verify"), {"token": code(device), "next": "/me/"})
    assert right.status_code == 302 and right.url == "/me/"
    assert client.get(reverse("branches:my_profile")).status_code == 200
    assert AuditEntry.objects.filter(action=ACTION_TWO_FACTOR_VERIFIED).count() == 2


def test_next_must_stay_on_this_site(personas):
    device = enrol(personas.user("secretary_a"))
    client = personas.client("secretary_a")
    response = client.post(
        reverse("two_factor_verify"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("branches:home")


def test_without_a_device_nothing_changes_when_not_required(personas):
    assert personas.client("office").get(reverse("branches:office_overview")).status_code == 200


def test_required_roles_must_set_it_up(personas, settings):
    settings.TWO_FACTOR_REQUIRED = True
    office = personas.client("office")
    response = office.get(reverse("branches:office_overview"))
    assert response.url.startswith(reverse("two_factor_setup"))
    # A branch secretary is not one of the required roles.
    assert personas.client("secretary_a").get(reverse("branches:my_profile")).status_code == 200

    page = office.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=personas.user("office"), confirmed=False)
    done = office.post(reverse("two_factor_setup"), {"token": code(device)})
    assert done.status_code == 200 and done.context["codes"]  # the recovery codes, then on
    device.refresh_from_db()
    assert device.confirmed
    assert office.get(reverse("branches:office_overview")).status_code == 200


def test_turning_it_on_shows_ten_recovery_codes_once(personas, settings):
    settings.TWO_FACTOR_REQUIRED = True
    office = personas.client("office")
    office.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=personas.user("office"), confirmed=False)
    done = office.post(reverse("two_factor_setup"), {"token": code(device), "next": "/office/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(set(codes)) == 10
    page = done.content.decode()
    assert all(c in page for c in codes) and 'href="/office/"' in page
    stored = StaticToken.objects.filter(device__user=personas.user("office"))
    assert sorted(stored.values_list("token", flat=True)) == sorted(codes)
    assert done["Cache-Control"].startswith("max-age=0")  # never_cache: shown once
    again = office.get(reverse("two_factor_setup"))
    assert again.context["codes_left"] == 10 and codes[0] not in again.content.decode()
    assert AuditEntry.objects.filter(action=ACTION_RECOVERY_CODES_GENERATED).count() == 1


def test_a_recovery_code_logs_in_once(personas, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # a wrong code otherwise delays the next try
    user = personas.user("secretary_a")
    enrol(user)
    codes = new_recovery_codes(user)
    client = personas.client("secretary_a")
    typed = codes[0].upper()[:4] + " " + codes[0].upper()[4:]  # read off paper
    used = client.post(reverse("two_factor_verify"), {"token": typed, "next": "/me/"})
    assert used.status_code == 302 and used.url == "/me/"
    assert client.get(reverse("branches:my_profile")).status_code == 200
    entry = AuditEntry.objects.get(action=ACTION_RECOVERY_CODE_USED)
    assert entry.user == user and entry.data == {"left": 9}

    again = personas.client("secretary_a")
    refused = again.post(reverse("two_factor_verify"), {"token": codes[0], "next": "/me/"})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert again.get(reverse("branches:my_profile")).status_code == 302
    assert AuditEntry.objects.filter(
        action=ACTION_TWO_FACTOR_VERIFIED, result=AuditResult.FAILED
    ).exists()
    assert again.post(reverse("two_factor_verify"), {"token": codes[1]}).status_code == 302


def test_making_new_codes_voids_the_old_ones(personas, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    user = personas.user("secretary_a")
    device = enrol(user)
    old = new_recovery_codes(user)
    client = personas.client("secretary_a")
    client.post(reverse("two_factor_verify"), {"token": code(device)})
    assert client.get(reverse("two_factor_setup")).context["codes_left"] == 10
    response = client.post(reverse("two_factor_recovery_codes"))
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(set(new)) == 10 and not set(new) & set(old)
    assert AuditEntry.objects.filter(action=ACTION_RECOVERY_CODES_GENERATED, user=user).exists()

    fresh = personas.client("secretary_a")
    assert fresh.post(reverse("two_factor_verify"), {"token": old[0]}).status_code == 200
    assert fresh.post(reverse("two_factor_verify"), {"token": new[0]}).status_code == 302


def test_only_a_user_with_two_factor_on_makes_codes(personas):
    client = personas.client("secretary_a")
    response = client.post(reverse("two_factor_recovery_codes"))
    assert response.status_code == 302 and response.url == reverse("two_factor_setup")
    assert not StaticToken.objects.exists()


def test_production_requires_it_by_default():
    # Loads the settings module the way a production start does, in a fresh process.
    show = "print('TWO_FACTOR_REQUIRED=%s' % settings.TWO_FACTOR_REQUIRED)"
    production = manage(
        "shell", "-c", f"from django.conf import settings; {show}", env=PRODUCTION_ENV
    )
    assert production.returncode == 0, production.stderr
    assert "TWO_FACTOR_REQUIRED=True" in production.stdout
    development = manage("shell", "-c", f"from django.conf import settings; {show}", env={})
    assert "TWO_FACTOR_REQUIRED=False" in development.stdout
