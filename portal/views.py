import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from portal.audit import log_action
from portal.audit_actions import ACTION_CSRF_REFUSED
from portal.models import AuditResult


@require_POST
def set_language(request) -> HttpResponse:
    """Django's language switch, POST only (it changes state)."""
    return django_set_language(request)


@never_cache
def healthz(request) -> JsonResponse:
    """For the load balancer: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: a clear page, and an audit entry."""
    log_action(
        None,
        ACTION_CSRF_REFUSED,
        data={"path": request.path[:300], "reason": reason[:200]},
        result=AuditResult.REFUSED,
    )
    return render(request, "403_csrf.html", status=403)


def locked_out(request, credentials, *args, **kwargs) -> HttpResponse:
    """The page shown while django-axes keeps a login locked."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


#: Seconds a browser is asked to wait while the database is unreachable (a restart, a failover).
DATABASE_RETRY_AFTER_S = 5


def server_error(request) -> HttpResponse:
    """The 500 page, or a 503 "try again shortly" while the database cannot be reached.

    Django calls this inside the ``except`` block of the failed request, so ``sys.exc_info()``
    names the error. A lost database connection (PostgreSQL restarting) is the portal being
    briefly unavailable, not a fault: it answers 503 with Retry-After, which load balancers and
    browsers understand, and a page saying so. Neither page touches the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and not connection.is_usable()
    ):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_S)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
