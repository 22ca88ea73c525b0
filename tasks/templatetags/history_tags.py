"""The assignment history's readable action names (``tasks.history``), for the template."""

from __future__ import annotations

from django import template

from tasks import history

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return history.action_label(action)
