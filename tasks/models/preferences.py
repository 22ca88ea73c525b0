"""Per-person notification settings: daily digests on or off, and the calendar feed's secret."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_calendar_token() -> str:
    # 256 bits: the token alone opens the feed, so it must not be guessable.
    return secrets.token_urlsafe(32)


class ChangeKind(models.TextChoices):
    """What a change message tells of; each can be kept out of a person's email."""

    RETURNED = "returned", _("A submission was returned")
    APPROVED = "approved", _("A submission was approved")
    EXTENDED = "extended", _("An extension was granted")
    PUBLISHED = "published", _("A notice was published")
    ITEM_CHANGED = "item_changed", _("A task item was changed")
    WITHDRAWN = "withdrawn", _("A task item was withdrawn")
    COMMENT = "comment", _("A new comment on a submission")


class NotificationPreference(models.Model):
    """Deadline reminders cannot be switched off (the branch owes the work); digests can, and
    so can the emails of change messages (their portal notification always arrives)."""

    person = models.OneToOneField(
        "branches.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    digests_enabled = models.BooleanField(_("receive daily digests"), default=True)
    # ChangeKind values whose email the person does not want.
    muted_change_emails = models.JSONField(_("changes not sent by email"), default=list, blank=True)
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        # Never the token: this text is copied into the audit log.
        return f"{self.person_id} · {_('notification preference')}"
