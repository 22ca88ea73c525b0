"""The audit log: one call per workflow step or data change."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.models import AuditEntry


def log_action(
    obj: models.Model | None,
    action: str,
    *,
    user=None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append an entry such as ``log_action(assignment, "tasks.assignment.returned", ...)``."""
    entry = AuditEntry(
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        data=data or {},
        ip_address=ip_address,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry
