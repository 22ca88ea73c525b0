"""Request-wide concerns: the request context for the audit log, the absolute session
lifetime, and an audit entry for every refused access."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.audit_actions import ACTION_ACCESS_REFUSED
from portal.models import AuditResult
from portal.request_context import reset_current_request, set_current_request

LOGIN_AT_KEY = "_portal_login_at"
RENEWED_AT_KEY = "_portal_renewed_at"


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_request(request)
        try:
            return self.get_response(request)
        finally:
            reset_current_request(token)

    def process_exception(self, request, exception):
        # A 404 raised by a view is an object outside the user's scope (or gone); a 403 is a
        # refused step. Unknown URLs never reach a view and are not logged.
        if isinstance(exception, Http404 | PermissionDenied):
            log_action(
                None,
                ACTION_ACCESS_REFUSED,
                data={"path": request.path[:300], "method": request.method},
                result=AuditResult.REFUSED,
            )
        return None


class SessionLifetimeMiddleware:
    """Sessions end after SESSION_ABSOLUTE_SECONDS in all, however active the user is, and
    after SESSION_IDLE_SECONDS without a request.

    The idle expiry is renewed by saving the session, at most once per SESSION_RENEW_SECONDS
    (touching a key marks it modified; Django then stores it with a fresh expiry), so most
    requests read the session without writing it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(LOGIN_AT_KEY)
            if started is None:
                request.session[LOGIN_AT_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended; please log in again."))
                return redirect(settings.LOGIN_URL)
            if now - request.session.get(RENEWED_AT_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[RENEWED_AT_KEY] = now
        return self.get_response(request)
