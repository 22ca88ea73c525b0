"""Readable names of the audit actions shown in an assignment's history.

The audit log keeps its action keys ("tasks.assignment.returned") as the record of truth; the
page shows what they mean. Apps above tasks (surveys, ratings) name their own actions with
``register_action_labels``. A key nobody named is shown as a plain "record changed": an internal
key never reaches a user.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tasks.audit_actions import (
    ACTION_ASSIGNMENT_ACKNOWLEDGED,
    ACTION_ASSIGNMENT_APPROVED,
    ACTION_ASSIGNMENT_COMMENTED,
    ACTION_ASSIGNMENT_EXTENDED,
    ACTION_ASSIGNMENT_RETURNED,
    ACTION_ASSIGNMENT_SAVED,
    ACTION_ASSIGNMENT_SUBMITTED,
    ACTION_ASSIGNMENT_URGED,
)

ACTION_LABELS = {
    ACTION_ASSIGNMENT_SAVED: _("Draft saved"),
    ACTION_ASSIGNMENT_SUBMITTED: _("Submitted"),
    ACTION_ASSIGNMENT_APPROVED: _("Approved"),
    ACTION_ASSIGNMENT_RETURNED: _("Returned for changes"),
    ACTION_ASSIGNMENT_ACKNOWLEDGED: _("Acknowledged by the liaison committee member"),
    ACTION_ASSIGNMENT_EXTENDED: _("Extension granted"),
    ACTION_ASSIGNMENT_URGED: _("Urged (催办)"),
    ACTION_ASSIGNMENT_COMMENTED: _("Comment posted"),
    "data.tasks.assignment.created": _("Task assigned"),
    "data.tasks.assignment.changed": _("Record changed"),
    "data.tasks.assignment.deleted": _("Record deleted"),
}


def register_action_labels(labels: dict) -> None:
    """Readable names for an app's own actions on assignments (from its startup module)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """The readable name of an audit action; a generic one for a key nobody named."""
    label = ACTION_LABELS.get(action)
    if label is None:
        label = ACTION_LABELS["data.tasks.assignment.changed"]
    return str(label)
