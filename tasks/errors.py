"""Domain errors of the workflow: a view shows ``message`` and nothing has changed."""

from __future__ import annotations

from portal.errors import Refused


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
