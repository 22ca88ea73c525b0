"""Writes of a person's notification settings: daily digests, which changes also come by
e-mail, and the secret address of the calendar feed (each audited)."""

from __future__ import annotations

from django.db import transaction

from portal.audit import log_action
from tasks.audit_actions import (
    ACTION_CALENDAR_TOKEN_REGENERATED,
    ACTION_CHANGE_EMAILS_SWITCHED,
    ACTION_DIGESTS_SWITCHED,
)
from tasks.models import ChangeKind, NotificationPreference, new_calendar_token


@transaction.atomic
def set_digests_enabled(person, enabled: bool, user=None) -> NotificationPreference:
    """Switch the person's daily digests on or off (deadline reminders stay on)."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        person=person
    )
    if preference.digests_enabled != enabled:
        preference.digests_enabled = enabled
        preference.save(update_fields=["digests_enabled", "updated_at"])
        log_action(preference, ACTION_DIGESTS_SWITCHED, user=user, data={"enabled": enabled})
    return preference


@transaction.atomic
def set_muted_change_emails(person, muted: list[str], user=None) -> NotificationPreference:
    """Which kinds of change the person does not want by email (the portal still tells)."""
    muted = sorted({kind for kind in muted if kind in ChangeKind.values})
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        person=person
    )
    if sorted(preference.muted_change_emails or []) != muted:
        preference.muted_change_emails = muted
        preference.save(update_fields=["muted_change_emails", "updated_at"])
        log_action(preference, ACTION_CHANGE_EMAILS_SWITCHED, user=user, data={"muted": muted})
    return preference


@transaction.atomic
def regenerate_calendar_token(person, user=None) -> str:
    """A new secret for the person's calendar feed; the old address stops working at once."""
    preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
        person=person
    )
    preference.calendar_token = new_calendar_token()
    preference.save(update_fields=["calendar_token", "updated_at"])
    log_action(preference, ACTION_CALENDAR_TOKEN_REGENERATED, user=user)
    return preference.calendar_token
