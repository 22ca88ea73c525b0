"""The reminders section of the assignment page, read by the template (the view stays as is)."""

from __future__ import annotations

from django import template
from django.db.models import Count, Q

from tasks.access import can_review_assignment, reviewable_assignments, scope_for
from tasks.models import OPEN_STATUSES, TaskItem
from tasks.reminders.planning import reminders_of

register = template.Library()


@register.simple_tag
def assignment_reminders(assignment, user):
    """The assignment's reminders with their deliveries and recipients (two queries), for
    the office that reviews it; None for everybody else (the section is then left out)."""
    if not can_review_assignment(user, assignment):
        return None
    return reminders_of(assignment)


@register.simple_tag
def urge_all_items(notice, user):
    """The notice's live items with the number of branches in the office's scope that still
    owe them (one query); empty for anyone but the office."""
    if notice is None or not scope_for(user).is_office:
        return []
    owed = reviewable_assignments(user).filter(item__area__notice=notice, status__in=OPEN_STATUSES)
    return list(
        TaskItem.objects.filter(pk__in=owed.values("item_id"))
        .annotate(
            missing_count=Count(
                "assignments", filter=Q(assignments__in=owed.values("pk")), distinct=True
            )
        )
        .select_related("area")
        .order_by("deadline", "area__number", "pk")
    )
