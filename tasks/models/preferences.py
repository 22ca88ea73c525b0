"""Per-person notification settings: daily digests on or off, and the calendar feed's secret."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_calendar_token() -> str:
    # 256 bits: the token alone opens the feed, so it must not be guessable.
    return secrets.token_urlsafe(32)


class NotificationPreference(models.Model):
    """Deadline reminders cannot be switched off (the branch owes the work); digests can."""

    person = models.OneToOneField(
        "branches.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    digests_enabled = models.BooleanField(_("receive daily digests"), default=True)
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
