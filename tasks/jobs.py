"""Celery jobs of the tasks app (thin: ids in, one call inside)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="tasks.notify_assignment_transition")
def notify_assignment_transition(assignment_id: int, step: str) -> None:
    """Tell the people concerned that an assignment moved (emails arrive with the reminders).

    For now the step is only logged; the audit entry is the record of truth.
    """
    from tasks.models import Assignment

    assignment = Assignment.objects.filter(pk=assignment_id).select_related("branch").first()
    if assignment is None:
        return
    logger.info("assignment %s (%s): %s", assignment_id, assignment.branch, step)
