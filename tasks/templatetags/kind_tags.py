"""The readable name of a deliverable kind (the stored key never reaches a page)."""

from __future__ import annotations

from django import template

from tasks.kinds import get_kind

register = template.Library()


@register.filter
def kind_label(key: str) -> str:
    return str(get_kind(key).label)
