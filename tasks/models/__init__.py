"""Models of the tasks app, one module per subject."""

from tasks.models.assignments import (
    OPEN_STATUSES,
    Assignment,
    AssignmentFile,
    AssignmentQuerySet,
    AssignmentStatus,
    UrgeRecord,
)
from tasks.models.comments import COMMENT_MAX_LENGTH, AssignmentComment, CommentSide
from tasks.models.exports import Export, ExportStatus
from tasks.models.notices import (
    Notice,
    NoticeQuerySet,
    NoticeStatus,
    TargetScope,
    TaskArea,
    TaskItem,
    TaskItemFile,
    TaskItemQuerySet,
    end_of_day,
    local_today,
)
from tasks.models.notifications import Notification, NotificationQuerySet
from tasks.models.preferences import ChangeKind, NotificationPreference, new_calendar_token
from tasks.models.reminders import (
    DIGEST_KINDS,
    MESSAGE_KINDS,
    PERSON_KINDS,
    DeliveryChannel,
    DeliveryStatus,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderPolicy,
    ReminderStatus,
)

__all__ = [
    "COMMENT_MAX_LENGTH",
    "AssignmentComment",
    "ChangeKind",
    "CommentSide",
    "MESSAGE_KINDS",
    "OPEN_STATUSES",
    "Assignment",
    "AssignmentFile",
    "AssignmentQuerySet",
    "AssignmentStatus",
    "Export",
    "ExportStatus",
    "Notice",
    "NoticeQuerySet",
    "NoticeStatus",
    "TargetScope",
    "TaskArea",
    "TaskItem",
    "TaskItemFile",
    "TaskItemQuerySet",
    "UrgeRecord",
    "end_of_day",
    "DeliveryChannel",
    "DeliveryStatus",
    "Notification",
    "NotificationQuerySet",
    "NotificationPreference",
    "new_calendar_token",
    "DIGEST_KINDS",
    "PERSON_KINDS",
    "Reminder",
    "ReminderDelivery",
    "ReminderKind",
    "ReminderPolicy",
    "ReminderStatus",
    "local_today",
]
