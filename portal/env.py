"""Typed reading of environment variables.

Every setting comes from the environment once, at start. A bad value stops the process with a
message that names the variable, instead of surfacing later as a confusing runtime error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() if value is not None else None


def is_set(name: str) -> bool:
    return bool(_raw(name))


def _parse(name: str, default: T, parser: Callable[[str], T], expected: str) -> T:
    raw = _raw(name)
    if raw is None or raw == "":
        return default
    try:
        return parser(raw)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is invalid: expected {expected}."
        ) from exc


def env_str(name: str, default: str = "") -> str:
    return _parse(name, default, str, "a string")


def env_bool(name: str, default: bool = False) -> bool:
    def parse(raw: str) -> bool:
        lowered = raw.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(raw)

    return _parse(name, default, parse, "one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    def parse(raw: str) -> int:
        value = int(raw)
        if minimum is not None and value < minimum:
            raise ValueError(raw)
        return value

    bound = f" >= {minimum}" if minimum is not None else ""
    return _parse(name, default, parse, f"an integer{bound}")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    def parse(raw: str) -> list[str]:
        items = [item.strip() for item in raw.split(",") if item.strip()]
        if not items:
            raise ValueError(raw)
        return items

    return _parse(name, list(default or []), parse, "a comma-separated list")


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    def parse(raw: str) -> str:
        if raw not in choices:
            raise ValueError(raw)
        return raw

    return _parse(name, default, parse, "one of " + ", ".join(choices))


def require(names: list[str], reason: str) -> None:
    missing = [name for name in names if not is_set(name)]
    if missing:
        raise ImproperlyConfigured(
            f"{reason} requires these environment variables: {', '.join(missing)}."
        )


def exit_if_misconfigured() -> None:
    """Read the settings now, so that a bad or missing variable ends the start (manage.py,
    the WSGI server) with its one-line message on stderr and exit status 1, not a traceback."""
    try:
        settings.INSTALLED_APPS  # noqa: B018  (touching a setting loads them all)
    except ImproperlyConfigured as exc:
        sys.exit(f"The portal cannot start: {exc}")
