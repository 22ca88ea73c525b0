from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from portal.audit import log_action
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
        "access.csrf_refused",
        data={"path": request.path[:300], "reason": reason[:200]},
        result=AuditResult.REFUSED,
    )
    return render(request, "403_csrf.html", status=403)


def locked_out(request, credentials, *args, **kwargs) -> HttpResponse:
    """The page shown while django-axes keeps a login locked."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
