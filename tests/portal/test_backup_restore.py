"""The documented backup and restore (ops/backup.sh, ops/restore.sh) round-trips on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from branches.models import Person
from tests.services import need

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SMOKE = """
from django.test import Client
from branches.models import Person
from portal.models import AuditEntry
from django.conf import settings
client = Client()
assert client.get("/accounts/login/").status_code == 200
login = {"username": "secretary_a", "password": "test-pass-2022"}
assert client.post("/accounts/login/", login).status_code == 302
assert client.get("/me/").status_code == 200
plan = (settings.MEDIA_ROOT / "notes/plan.txt").read_text()
print(Person.objects.count(), AuditEntry.objects.count(), plan)
"""


def _url(name: str) -> str:
    params = connection.settings_dict
    user, host, port = params["USER"] or "postgres", params["HOST"] or "127.0.0.1", params["PORT"]
    return f"postgres://{user}@{host}:{port or 5432}/{name}"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update(PYTHON=sys.executable, **extra)
    return env


def test_backup_restores_into_a_fresh_database_and_passes_the_smoke_test(personas, tmp_path):
    need("PostgreSQL", connection.vendor == "postgresql", "the database is not PostgreSQL")
    media = tmp_path / "uploads"
    (media / "notes").mkdir(parents=True)
    (media / "notes" / "plan.txt").write_text("整改计划", encoding="utf-8")
    people = Person.objects.count()
    # The personas' passwords use the fast test hasher, which the restored portal (default
    # settings) does not accept: store this one with the default hasher.
    user = personas.user("secretary_a")
    user.password = PBKDF2PasswordHasher().encode("test-pass-2022", "backuptestsalt")
    user.save(update_fields=["password"])

    source = _url(connection.settings_dict["NAME"])
    backup = subprocess.run(
        [str(ROOT / "ops" / "backup.sh"), str(tmp_path / "backup")],
        env=_env(DATABASE_URL=source, MEDIA_ROOT=str(media)),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dump, archive = backup.stdout.split()

    fresh = f"portal_restore_{uuid.uuid4().hex[:8]}"
    restored_media = tmp_path / "restored-uploads"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        env = _env(DATABASE_URL=_url(fresh), MEDIA_ROOT=str(restored_media))
        subprocess.run(
            [str(ROOT / "ops" / "restore.sh"), dump, archive],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        smoke = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SMOKE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert smoke.returncode == 0, smoke.stderr
        count, audit, text = smoke.stdout.split()[-3:]
        assert int(count) == people
        assert int(audit) > 0
        assert text == "整改计划"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
