"""The request being served, for code far from the view (audit entries need user and IP).

A context variable, not a thread-local, so it is right under threads and async alike.
"""

from __future__ import annotations

from contextvars import ContextVar

_current_request: ContextVar = ContextVar("portal_current_request", default=None)


def current_request():
    return _current_request.get()


def set_current_request(request):
    return _current_request.set(request)


def reset_current_request(token) -> None:
    _current_request.reset(token)


def client_ip(request) -> str | None:
    """REMOTE_ADDR: behind nginx, gunicorn sees the proxy; see README for the forwarded header."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
