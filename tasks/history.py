"""Readable names of the audit actions shown in an assignment's history.

The audit log keeps its action keys ("tasks.assignment.returned") as the record of truth; the
page shows what they mean. Entries written before a key was named here show the key itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "tasks.assignment.saved": _("Draft saved"),
    "tasks.assignment.submitted": _("Submitted"),
    "tasks.assignment.approved": _("Approved"),
    "tasks.assignment.returned": _("Returned for changes"),
    "tasks.assignment.acknowledged": _("Acknowledged by the liaison committee member"),
    "tasks.assignment.extended": _("Extension granted"),
    "tasks.assignment.urged": _("Urged (催办)"),
    "tasks.assignment.commented": _("Comment posted"),
    "data.tasks.assignment.created": _("Task assigned"),
    "data.tasks.assignment.changed": _("Record changed"),
    "data.tasks.assignment.deleted": _("Record deleted"),
}


def action_label(action: str) -> str:
    """The readable name of an audit action, or the action key if it has none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
