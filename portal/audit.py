"""The audit log: one call per workflow step, login, refused access, data change or export."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.models import AuditEntry, AuditResult
from portal.request_context import client_ip, current_request

_FROM_REQUEST = object()


def log_action(
    obj: models.Model | None,
    action: str,
    *,
    user=_FROM_REQUEST,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
    result: str = AuditResult.OK,
    username: str = "",
) -> AuditEntry:
    """Append an entry such as ``log_action(assignment, "tasks.assignment.returned", ...)``.

    User and IP default to those of the request being served, if any.
    """
    request = current_request()
    if user is _FROM_REQUEST:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    entry = AuditEntry(
        action=action,
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        data=data or {},
        ip_address=ip_address or client_ip(request),
        result=result,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry
