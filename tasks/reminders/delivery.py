"""Serving one recipient of a reminder row, at most once per channel, and what is recorded.

The layer under every kind of reminder (deadline, urge, digest, branch life): the sending
module and the digests module both build on it. A delivery row per recipient and channel is
written around each send: an email is "sending" (committed) before the SMTP call and "sent"
after it, so a retry (a redelivery after a killed worker, the sweep re-queueing a stuck row)
skips whoever already got it, and resends (same Message-ID) only to whoever an interrupted
attempt may have reached, marked possibly duplicated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from branches.models import Person
from tasks.models import (
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderStatus,
)
from tasks.reminders.lease import Lease

logger = logging.getLogger("tasks.reminders")


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def delivered(reminder: Reminder) -> set[tuple[int, str]]:
    """Recipients and channels already served; a failed attempt is tried again, and so is one
    left "sending" by a crash (see ``notify_person``)."""
    return set(
        ReminderDelivery.objects.filter(
            reminder=reminder, status__in=(DeliveryStatus.SENT, DeliveryStatus.SKIPPED)
        ).values_list("person_id", "channel")
    )


def record(reminder, person, channel, status, *, address="", note="", now=None, **extra) -> None:
    ReminderDelivery.objects.update_or_create(
        reminder=reminder,
        person=person,
        channel=channel,
        defaults={
            "status": status,
            "address": address,
            "note": note[:200],
            "sent_at": now if status == DeliveryStatus.SENT else None,
            **extra,
        },
    )


def message_id(reminder: Reminder, person: Person) -> str:
    """The Message-ID of the one email of ``reminder`` to ``person``: the same on every
    attempt, so a resend after a crash is the same message to the receiving mail system."""
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    return f"<reminder-{reminder.pk}.person-{person.pk}@{domain}>"


def _usable_address(reminder: Reminder, person: Person) -> str | None:
    """The person's email address, or None (recorded as skipped) when there is none to use."""
    address = person.email.strip()
    if not address:
        logger.info("reminder %s: %s has no email address", reminder.pk, person.pk)
        record(reminder, person, DeliveryChannel.EMAIL, DeliveryStatus.SKIPPED, note="no address")
        return None
    try:
        validate_email(address)
    except ValidationError:
        logger.warning("reminder %s: malformed address of person %s", reminder.pk, person.pk)
        record(
            reminder,
            person,
            DeliveryChannel.EMAIL,
            DeliveryStatus.SKIPPED,
            address=address[:254],
            note="malformed address",
        )
        return None
    return address


@transaction.atomic
def _mark_sending(reminder: Reminder, person: Person, address: str, lease: Lease) -> bool:
    """Record the email "sending" under a renewed lease, committed before the SMTP call;
    False when another attempt served the person since ``done`` was read."""
    lease.renew()
    earlier = (
        ReminderDelivery.objects.select_for_update()
        .filter(reminder=reminder, person=person, channel=DeliveryChannel.EMAIL)
        .first()
    )
    if earlier is not None and earlier.status in (DeliveryStatus.SENT, DeliveryStatus.SKIPPED):
        return False
    duplicated = earlier is not None and (
        earlier.possibly_duplicated or earlier.status == DeliveryStatus.SENDING
    )
    if earlier is not None and earlier.status == DeliveryStatus.SENDING:
        logger.warning(
            "reminder %s: resending to person %s after an interrupted attempt",
            reminder.pk,
            person.pk,
        )
    record(
        reminder,
        person,
        DeliveryChannel.EMAIL,
        DeliveryStatus.SENDING,
        address=address[:254],
        attempt_id=lease.token,
        possibly_duplicated=duplicated,
    )
    return True


def notify_person(
    reminder: Reminder,
    person: Person,
    *,
    title: str,
    body: str,
    link: str,
    send_email: Callable[[str, str], None] | None,
    done: set[tuple[int, str]],
    now: datetime,
    lease: Lease,
) -> None:
    """The portal notification and the email for one recipient, each at most once.

    The email is recorded "sending" and committed before the SMTP call, "sent" after it. A row
    found "sending" belongs to an attempt that died in between: the email may have gone out,
    so it is sent again with the same Message-ID and marked possibly duplicated. Each step
    first renews the lease in its transaction, so no second worker is sending at once.
    ``send_email`` None: the person does not want this by email (recorded as skipped).
    """
    if person.user_id and (person.pk, DeliveryChannel.PORTAL) not in done:
        with transaction.atomic():
            lease.renew()
            Notification.objects.create(user_id=person.user_id, title=title, body=body, link=link)
            record(reminder, person, DeliveryChannel.PORTAL, DeliveryStatus.SENT, now=now)
    if (person.pk, DeliveryChannel.EMAIL) in done:
        return
    if send_email is None:
        record(reminder, person, DeliveryChannel.EMAIL, DeliveryStatus.SKIPPED, note="preference")
        return
    address = _usable_address(reminder, person)
    if address is None or not _mark_sending(reminder, person, address, lease):
        return
    try:
        send_email(address, message_id(reminder, person))
    except OSError as exc:  # smtplib.SMTPException is an OSError
        # Recorded for the office, then re-raised so the caller retries; a failed row does
        # not count as served, so the retry tries this recipient again.
        record(
            reminder,
            person,
            DeliveryChannel.EMAIL,
            DeliveryStatus.FAILED,
            address=address[:254],
            note=str(exc) or exc.__class__.__name__,
        )
        raise
    record(reminder, person, DeliveryChannel.EMAIL, DeliveryStatus.SENT, address=address, now=now)


def cancel(reminder: Reminder, reason: str, *, lease: Lease | None = None) -> str:
    changes = {"status": ReminderStatus.CANCELLED}
    if reason:
        changes["last_error"] = reason[:300]
    if lease is not None:
        lease.mine().filter(sent_at=None).update(leased_until=None, lease_token=None, **changes)
    else:
        Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(**changes)
    return ReminderStatus.CANCELLED
