"""Settings come from the environment; bad or missing values stop the start with a clear message."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "x7#Lq9-Vb2!mK4@pR8^tW1&zN6*cF3(hJ5)sD0_gY+aE-uQ-production-test",
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
    "ALLOWED_HOSTS": "portal.example.org",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "党办 <dangban@example.org>",
}


def clean_env(env: dict[str, str]) -> dict[str, str]:
    # Start from the machine's environment without any of the portal's own settings (CI sets
    # DATABASE_URL and CELERY_BROKER_URL, for example).
    ours = ("PORTAL_", "DATABASE_", "CELERY_", "EMAIL_", "SECRET_KEY", "ALLOWED_HOSTS")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    clean.pop("DEFAULT_FROM_EMAIL", None)
    clean.pop("DEBUG", None)
    clean.pop(
        "DJANGO_ALLOW_ASYNC_UNSAFE", None
    )  # set by the browser tests; check --deploy flags it
    clean.update(env)
    clean["PORTAL_VAR_DIR"] = env.get("PORTAL_VAR_DIR", str(ROOT / "var"))
    return clean


def python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return python("manage.py", *args, env=env)


def test_production_passes_check_deploy_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", sorted(set(PRODUCTION_ENV) - {"PORTAL_ENV"}))
def test_production_refuses_to_start_without_a_required_value(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "PORTAL_ENV=production requires" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("UPLOAD_MAX_MB", "twenty"),
        ("UPLOAD_MAX_MB", "0"),
        ("UPLOAD_MAX_UNCOMPRESSED_MB", "0"),
        ("UPLOAD_MAX_COMPRESSION_RATIO", "1"),
        ("IMPORT_MAX_UNCOMPRESSED_MB", "lots"),
        ("SESSION_IDLE_SECONDS", "-5"),
        ("PORTAL_ENV", "staging"),
        ("DATABASE_URL", "nosuchdb://x/y"),
    ],
)
def test_a_bad_value_fails_at_start_naming_the_variable(name, value):
    result = manage("check", env={name: value})
    assert result.returncode != 0
    assert f"Environment variable {name}" in result.stderr


def test_file_limits_come_from_the_environment():
    show = (
        "from django.conf import settings as s; print(s.UPLOAD_MAX_UNCOMPRESSED_BYTES, "
        "s.UPLOAD_MAX_COMPRESSION_RATIO, s.IMPORT_MAX_UNCOMPRESSED_BYTES)"
    )
    result = manage("shell", "-c", show, env={})
    assert result.stdout.splitlines()[-1].split() == [
        str(200 * 1048576),
        "100",
        str(20 * 1048576),
    ], result.stderr
    limits = {
        "UPLOAD_MAX_UNCOMPRESSED_MB": "50",
        "UPLOAD_MAX_COMPRESSION_RATIO": "30",
        "IMPORT_MAX_UNCOMPRESSED_MB": "5",
    }
    result = manage("shell", "-c", show, env=limits)
    assert result.stdout.splitlines()[-1].split() == [str(50 * 1048576), "30", str(5 * 1048576)], (
        result.stderr
    )


def test_development_defaults_start_cleanly(tmp_path):
    result = manage("check", env={"PORTAL_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


def test_interface_defaults_to_simplified_chinese_in_shanghai_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


@pytest.mark.parametrize("start", ["manage.py", "wsgi"])
def test_a_missing_production_variable_stops_the_start_with_one_line(start):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    if start == "manage.py":
        result = manage("check", env=env)
    else:
        result = python("-c", "import portal.wsgi", env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "SECRET_KEY" in line and "PORTAL_ENV=production requires" in line


def _setting(expression: str, env: dict[str, str]) -> str:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print({expression})",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_debug_1_is_set(tmp_path):
    # `make run` passes the environment through: DEBUG=1 make run, or make run DEBUG=1.
    assert _setting("settings.DEBUG", {"PORTAL_VAR_DIR": str(tmp_path)}) == "False"
    assert _setting("settings.DEBUG", {"PORTAL_VAR_DIR": str(tmp_path), "DEBUG": "1"}) == "True"


def test_development_hosts_admit_the_address_make_run_serves_on(tmp_path):
    env = {"PORTAL_VAR_DIR": str(tmp_path)}
    assert _setting("settings.ALLOWED_HOSTS", env) == "['127.0.0.1', 'localhost', 'testserver']"
    hosts = _setting("settings.ALLOWED_HOSTS", {**env, "PORTAL_RUN_HOST": "192.168.1.20"})
    assert hosts == "['127.0.0.1', 'localhost', 'testserver', '192.168.1.20']"
    # "Every interface" names no host; the defaults stay (ALLOWED_HOSTS sets others).
    hosts = _setting("settings.ALLOWED_HOSTS", {**env, "PORTAL_RUN_HOST": "0.0.0.0"})
    assert hosts == "['127.0.0.1', 'localhost', 'testserver']"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_passes_its_host_and_leaves_debug_to_the_caller():
    result = subprocess.run(
        ["make", "-n", "run", "HOST=192.168.1.20", "PORT=8100"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (server,) = [line for line in result.stdout.splitlines() if "runserver" in line]
    assert "PORTAL_RUN_HOST=192.168.1.20" in server and "runserver 192.168.1.20:8100" in server
    assert "DEBUG" not in result.stdout and "--insecure" not in result.stdout
