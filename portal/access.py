"""Base access helpers: an object outside the user's scope is a 404, never a 403.

A 403 would tell the user that the object exists; a 404 tells nothing.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def get_in_scope_or_404(scope: QuerySet[M], **lookup) -> M:
    """Return the one object of ``scope`` matching ``lookup`` or raise Http404."""
    try:
        return scope.get(**lookup)
    # ObjectDoesNotExist: the base of every model's DoesNotExist (``scope.model``'s included).
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
