"""Names of the audit actions of the work-notice workflow (see ``portal.audit_actions``)."""

from __future__ import annotations

ACTION_ASSIGNMENT_SAVED = "tasks.assignment.saved"
ACTION_ASSIGNMENT_SUBMITTED = "tasks.assignment.submitted"
ACTION_ASSIGNMENT_APPROVED = "tasks.assignment.approved"
ACTION_ASSIGNMENT_ACKNOWLEDGED = "tasks.assignment.acknowledged"
ACTION_ASSIGNMENT_RETURNED = "tasks.assignment.returned"
ACTION_ASSIGNMENT_EXTENDED = "tasks.assignment.extended"
ACTION_ASSIGNMENT_URGED = "tasks.assignment.urged"

#: The workflow step (as ``tasks.services`` and the notification job name it) → its action.
ASSIGNMENT_STEP_ACTIONS = {
    "submitted": ACTION_ASSIGNMENT_SUBMITTED,
    "approved": ACTION_ASSIGNMENT_APPROVED,
    "returned": ACTION_ASSIGNMENT_RETURNED,
    "acknowledged": ACTION_ASSIGNMENT_ACKNOWLEDGED,
}

ACTION_NOTICE_PUBLISHED = "tasks.notice.published"
ACTION_ITEM_WITHDRAWN = "tasks.item.withdrawn"
ACTION_ITEM_DEADLINE_CHANGED = "tasks.item.deadline_changed"
ACTION_ITEM_DEADLINE_RESOLVED = "tasks.item.deadline_resolved"
ACTION_AREA_DELETED = "tasks.area.deleted"
ACTION_ITEM_DELETED = "tasks.item.deleted"
ACTION_NOTICE_COPIED = "tasks.notice.copied"
ACTION_NOTICE_IMPORTED = "tasks.notice.imported"
ACTION_ATTACHMENT_FILE_UPLOADED = "tasks.attachment.file_uploaded"

ACTION_EXPORT_REQUESTED = "tasks.export.requested"
ACTION_EXPORT_BUILT = "tasks.export.built"

ACTION_DIGESTS_SWITCHED = "tasks.digests.switched"
ACTION_CALENDAR_TOKEN_REGENERATED = "tasks.calendar.token_regenerated"
ACTION_ASSIGNMENT_COMMENTED = "tasks.assignment.commented"
ACTION_CHANGE_EMAILS_SWITCHED = "tasks.change_emails.switched"


def sheet_imported(audit_name: str) -> str:
    """A deliverable kind's form replaced from an Excel file: ``<kind's audit_name>.imported``, e.g.
    ``surveys.rectification.imported`` or ``ratings.star_self_assessment.imported``."""
    return f"{audit_name}.imported"
