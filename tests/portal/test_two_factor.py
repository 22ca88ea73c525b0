"""Two-factor login: optional for everyone, required for office staff when configured."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEntry

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
    response = client.get(reverse("my_profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))

    wrong = client.post(reverse("two_factor_verify"), {"token": "000000", "next": "/me/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get(reverse("my_profile")).status_code == 302

    right = client.post(reverse("two_factor_verify"), {"token": code(device), "next": "/me/"})
    assert right.status_code == 302 and right.url == "/me/"
    assert client.get(reverse("my_profile")).status_code == 200
    assert AuditEntry.objects.filter(action="auth.two_factor.verified").count() == 2


def test_next_must_stay_on_this_site(personas):
    device = enrol(personas.user("secretary_a"))
    client = personas.client("secretary_a")
    response = client.post(
        reverse("two_factor_verify"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_without_a_device_nothing_changes_when_not_required(personas):
    assert personas.client("office").get(reverse("office_overview")).status_code == 200


def test_required_roles_must_set_it_up(personas, settings):
    settings.TWO_FACTOR_REQUIRED = True
    office = personas.client("office")
    response = office.get(reverse("office_overview"))
    assert response.url.startswith(reverse("two_factor_setup"))
    # A branch secretary is not one of the required roles.
    assert personas.client("secretary_a").get(reverse("my_profile")).status_code == 200

    page = office.get(reverse("two_factor_setup"))
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=personas.user("office"), confirmed=False)
    done = office.post(reverse("two_factor_setup"), {"token": code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert office.get(reverse("office_overview")).status_code == 200


def test_production_requires_it_by_default():
    from django.conf import settings

    # Off in development and tests; settings.py turns it on when PORTAL_ENV=production.
    assert settings.TWO_FACTOR_REQUIRED is False
