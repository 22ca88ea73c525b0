"""Domain errors of the workflow: a view shows ``message`` and nothing has changed."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from portal.errors import Refused
from portal.validation import validate_sane_date


class WorkflowError(Refused):
    """Base of the workflow's refusals: ``message`` is for the user, further ``messages``
    are details (why a submission is incomplete)."""


class AccessRefused(WorkflowError):
    """The user may not act on this assignment in this way (views answer 404)."""


class TransitionNotAllowed(WorkflowError):
    """The step does not start from the assignment's current state."""


class EditConflict(WorkflowError):
    """Someone saved the assignment since this form was loaded."""


class SubmitIncomplete(WorkflowError):
    """The deliverable kind's check before submitting failed."""


class AlreadyUrged(WorkflowError):
    """催办 was already pressed today for this branch and item."""


def refuse_date_outside_window(value) -> None:
    """A deadline or extension the forms would refuse is refused by the service too: a caller
    other than the form (a job, the shell) must not plan reminders around 9999-12-31, which
    overflows the date arithmetic there."""
    try:
        validate_sane_date(value)
    except ValidationError as exc:
        raise TransitionNotAllowed(exc.messages[0]) from exc
