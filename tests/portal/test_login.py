from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
    assert response.url == reverse("home")
    assert client.get(response.url).url == reverse(
        "organisation_detail", args=[personas.tree["branch_a"].pk]
    )


def test_login_post_without_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": "secretary_a", "password": personas.password()}
    )
    assert response.status_code == 403


def test_session_expires_after_thirty_minutes_idle_and_is_renewed_on_each_request(personas):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client = personas.client("secretary_a")
    client.get(reverse("my_profile"))
    expiry = client.session.get_expiry_age()
    assert 29 * 60 < expiry <= 30 * 60


def test_logout_is_a_post_and_ends_the_session(personas):
    client = personas.client("secretary_a")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("my_profile")).status_code == 302


def test_password_change_page_is_chinese(personas):
    client = personas.client("secretary_a")
    response = client.get(reverse("password_change"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "修改密码" in response.content.decode()


def test_language_can_be_switched_to_english(personas):
    client = personas.client("secretary_a")
    client.post(reverse("set_language"), {"language": "en", "next": "/me/"})
    assert "My profile" in client.get(reverse("my_profile")).content.decode()
