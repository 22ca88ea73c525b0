"""External services the tests need. Missing → skip, or fail when REQUIRE_SERVICES=1 (CI)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import redis

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "") == "1"


def need(service: str, available: bool, detail: str) -> None:
    """Skip the test when ``service`` is missing, or fail it when services are required."""
    if available:
        return
    message = f"{service} is not available: {detail}"
    if services_required():
        pytest.fail(message + " (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def redis_available(url: str = REDIS_URL) -> bool:

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0
