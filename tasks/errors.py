"""Domain errors of the workflow: a view shows ``message`` and nothing has changed."""

from __future__ import annotations


class WorkflowError(Exception):
    """Base: the requested step was refused; ``message`` is for the user."""

    def __init__(self, message: str, *, errors: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


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
