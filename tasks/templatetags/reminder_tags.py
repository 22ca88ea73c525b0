"""The reminders section of the assignment page, read by the template (the view stays as is)."""

from __future__ import annotations

from django import template

from tasks.access import can_review_assignment
from tasks.reminders import reminders_of

register = template.Library()


@register.simple_tag
def assignment_reminders(assignment, user):
    """The assignment's reminders with their deliveries and recipients (two queries), for
    the office that reviews it; None for everybody else (the section is then left out)."""
    if not can_review_assignment(user, assignment):
        return None
    return reminders_of(assignment)
