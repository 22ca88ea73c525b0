from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


def test_wrong_password_and_unknown_user_get_the_same_message(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    url = reverse("login")
    wrong_password = client.post(url, {"username": "secretary_a", "password": "nope"})
    unknown_user = client.post(url, {"username": "nobody", "password": personas.password()})

    assert wrong_password.status_code == unknown_user.status_code == 200
    errors = [wrong_password.context["form"].non_field_errors()]
    errors.append(unknown_user.context["form"].non_field_errors())
    assert errors[0] == errors[1]
    text = str(errors[0])
    assert "用户名" in text and "密码" in text  # names both, so it reveals neither


def test_right_password_lands_on_the_role_home(personas):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "secretary_a", "password": personas.password()}
    )
    assert response.status_code == 302
    assert response.url == reverse("branches:home")
    assert client.get(response.url).url == reverse(
        "branches:organisation_detail", args=[personas.tree["branch_a"].pk]
    )


def test_login_post_without_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": "secretary_a", "password": personas.password()}
    )
    assert response.status_code == 403


def _stored_expiry(client):

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_lasts_thirty_minutes_idle_after_the_last_request(personas):
    client = personas.client("secretary_a")
    client.get(reverse("branches:my_profile"))
    idle = (_stored_expiry(client) - timezone.now()).total_seconds()
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    # At least the idle limit after this request, at most one renewal interval more.
    assert 30 * 60 - 5 < idle <= 30 * 60 + settings.SESSION_RENEW_SECONDS


def test_the_expiry_is_renewed_at_most_once_a_minute(personas):
    client = personas.client("secretary_a")
    url = reverse("branches:my_profile")
    start = timezone.now()
    with mock.patch("portal.middleware.time.time", return_value=start.timestamp()):
        client.get(url)
    first = _stored_expiry(client)
    with mock.patch("portal.middleware.time.time", return_value=start.timestamp() + 30):
        client.get(url)
    assert _stored_expiry(client) == first  # within the minute: no write
    later = start + timedelta(minutes=20)
    with (
        mock.patch("portal.middleware.time.time", return_value=later.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=later),
    ):
        client.get(url)
    renewed = _stored_expiry(client)
    assert renewed > first
    assert (renewed - later).total_seconds() >= 30 * 60


def test_an_idle_session_ends(personas):
    client = personas.client("secretary_a")
    client.get(reverse("branches:my_profile"))
    after = _stored_expiry(client) + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=after):
        response = client.get(reverse("branches:my_profile"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_logout_is_a_post_and_ends_the_session(personas):
    client = personas.client("secretary_a")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("branches:my_profile")).status_code == 302


def test_password_change_page_is_chinese(personas):
    client = personas.client("secretary_a")
    response = client.get(reverse("password_change"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "修改密码" in response.content.decode()


def test_language_can_be_switched_to_english(personas):
    client = personas.client("secretary_a")
    client.post(reverse("set_language"), {"language": "en", "next": "/me/"})
    assert "My profile" in client.get(reverse("branches:my_profile")).content.decode()
