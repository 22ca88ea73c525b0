"""The request being served, for code far from the view (audit entries need user and IP).

A context variable, not a thread-local, so it is right under threads and async alike.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

_current_request: ContextVar = ContextVar("portal_current_request", default=None)


def current_request():
    return _current_request.get()


def set_current_request(request):
    return _current_request.set(request)


def reset_current_request(token) -> None:
    _current_request.reset(token)


def client_ip(request) -> str | None:
    """The client's address, for lockouts and the audit log.

    Behind TRUSTED_PROXY_COUNT reverse proxies (nginx), REMOTE_ADDR is the nearest proxy and
    the client is the entry that many places from the right of X-Forwarded-For; entries further
    left were written by the client and cannot be trusted.
    """
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
