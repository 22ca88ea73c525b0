"""Content Security Policy without inline scripts; session lifetimes."""

import re
import time
from pathlib import Path

import pytest
from django.urls import reverse

from portal.middleware import LOGIN_AT_KEY

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_pages_send_a_policy_that_forbids_inline_scripts(personas):
    response = personas.client("secretary_a").get(reverse("branches:my_profile"))
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert script_src.strip() == "'self'"
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_no_template_contains_an_inline_script_or_event_handler():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" not in attributes and "application/json" not in attributes:
                offenders.append(f"{template.relative_to(ROOT)}: inline <script>")
        if re.search(r"\son(click|load|submit|change|input)=", text):
            offenders.append(f"{template.relative_to(ROOT)}: inline event handler")
    assert not offenders, offenders


def test_session_ends_after_twelve_hours_however_active(personas, settings):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    client = personas.client("secretary_a")
    assert client.get(reverse("branches:my_profile")).status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("branches:my_profile"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("branches:my_profile")).status_code == 302  # logged out for good


def test_passwords_need_ten_characters(personas):
    client = personas.client("secretary_a")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": personas.password(),
            "new_password1": "Short9x",
            "new_password2": "Short9x",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
