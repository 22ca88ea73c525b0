"""The error pages (400, 403, 404, 500, CSRF) in the portal's layout, each with a way back, and
static files served with DEBUG off while uploads never are."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import Client
from django.urls import path, reverse

import portal.urls

handler500 = portal.urls.handler500


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("a bug")


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


# The portal's own URLs plus two views that fail on purpose (used with pytest.mark.urls).
urlpatterns = [
    path("test-errors/forbidden/", _forbidden),
    path("test-errors/broken/", _broken),
    path("test-errors/database-gone/", _database_gone),
    *portal.urls.urlpatterns,
]

LAYOUT = ('<html lang="zh-hans">', "党支部工作平台", "vendor/bootstrap/bootstrap.min.css")


def _assert_portal_error_page(response, status: int, text: str, *, en: str) -> None:
    assert response.status_code == status
    page = response.content.decode()
    for piece in LAYOUT:
        assert piece in page, piece
    assert 'class="navbar' in page and 'id="main"' in page
    # Ways back: the home page, and the page the visitor came from.
    assert 'href="/"' in page
    assert "data-history-back" in page
    assert "Traceback" not in page and "a bug" not in page
    # The text itself, read in English (the Chinese comes from the catalogue of these msgids).
    assert text in en, en[:400]


def _en(client: Client, url: str, **extra) -> str:
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **extra).content.decode()


def test_404_page_for_a_visitor():
    client = Client()
    response = client.get("/no-such-page/")
    _assert_portal_error_page(response, 404, "Page not found", en=_en(client, "/no-such-page/"))
    assert "Go to the home page" in _en(client, "/no-such-page/")


@pytest.mark.django_db
def test_404_page_for_a_signed_in_user_keeps_the_navigation(personas):
    client = personas.client("office")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert reverse("tasks:review_list") in page  # the office's own navigation bar
    assert 'href="/"' in page and "data-history-back" in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_403_page(personas):
    client = personas.client("secretary_a")
    url = "/test-errors/forbidden/"
    _assert_portal_error_page(
        client.get(url), 403, "You do not have access to this page", en=_en(client, url)
    )


def test_400_page_for_a_host_that_is_not_allowed():
    client = Client()
    response = client.get("/", HTTP_HOST="evil.example")
    _assert_portal_error_page(
        response,
        400,
        "could not accept this request",
        en=_en(client, "/", HTTP_HOST="evil.example"),
    )


@pytest.mark.urls(__name__)
def test_500_page_renders_without_database_or_request_context():
    # No django_db mark: any database access during the request or the page raises.
    client = Client(raise_request_exception=False)
    url = "/test-errors/broken/"
    _assert_portal_error_page(client.get(url), 500, "Something went wrong", en=_en(client, url))


@pytest.mark.urls(__name__)
def test_a_lost_database_connection_answers_503_with_retry_after():
    # A PostgreSQL restart is a moment of unavailability, not a fault of the portal.
    client = Client(raise_request_exception=False)
    url = "/test-errors/database-gone/"
    response = client.get(url)
    _assert_portal_error_page(response, 503, "Briefly unavailable", en=_en(client, url))
    assert response["Retry-After"] == "5"
    assert "server closed" not in response.content.decode()


def test_500_page_when_the_database_is_down():
    # /healthz asks the database, which this test may not reach: the view fails as it would
    # with the database down, and the page still renders.
    client = Client(raise_request_exception=False)
    response = client.get(reverse("healthz"))
    assert response.status_code == 500
    assert "党支部工作平台" in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_page_has_the_layout_and_a_way_back():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403
    for piece in LAYOUT:
        assert piece in page, piece
    assert 'href="/"' in page and "data-history-back" in page


def test_static_files_are_served_with_debug_off(settings):
    assert settings.DEBUG is False
    response = Client().get("/static/portal/portal.js")
    assert response.status_code == 200
    assert b"data-history-back" in b"".join(response.streaming_content)


def test_uploads_are_never_served_publicly(settings):
    upload = settings.MEDIA_ROOT / "minutes" / "secret.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text("内部材料")
    client = Client()
    for url in ("/media/minutes/secret.txt", "/minutes/secret.txt", "/static/minutes/secret.txt"):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert "内部材料" not in response.content.decode(), url
