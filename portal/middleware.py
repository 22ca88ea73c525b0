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
from portal.models import AuditResult
from portal.request_context import reset_current_request, set_current_request

LOGIN_AT_KEY = "_portal_login_at"


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
                "access.refused",
                data={"path": request.path[:300], "method": request.method},
                result=AuditResult.REFUSED,
            )
        return None


class SessionLifetimeMiddleware:
    """Sessions end after SESSION_ABSOLUTE_SECONDS in all, however active the user is.

    The idle limit is the cookie age, renewed on each request (settings.SESSION_COOKIE_AGE).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            if started is None:
                request.session[LOGIN_AT_KEY] = time.time()
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended; please log in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
