"""Serving one recipient of a reminder row, at most once per channel, and what is recorded.

The layer under every kind of reminder (deadline, urge, digest, branch life): the sending
module and the digests module both build on it. A delivery row per recipient and channel is
written around each send: an email is "sending" (committed) before the SMTP call and "sent"
after it, so a retry (a redelivery after a killed worker, the sweep re-queueing a stuck row)
skips whoever already got it, and resends (same Message-ID) only to whoever an interrupted
attempt may have reached, marked possibly duplicated.

A recipient's writes before the SMTP call are one step (``Batch.run``): the lease renewed (or
taken), then, only if this attempt holds the row, the portal notification and the email's
delivery row. Each delivery row is one conditional upsert (``_RECORD_SQL``) that never
overwrites a row already final (sent or skipped): the check "already served?" and the write
are one statement, under the lease.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils import timezone

from branches.models import Person
from tasks.models import (
    DeliveryChannel,
    DeliveryStatus,
    Notification,
    Reminder,
    ReminderDelivery,
    ReminderStatus,
)
from tasks.reminders.batch import Batch, Statement, db_value
from tasks.reminders.emails import Mailer
from tasks.reminders.lease import Lease

logger = logging.getLogger("tasks.reminders")

#: Sends one email to one address with a given Message-ID, through the batch's connection.
SendEmail = Callable[[str, str, Mailer], None]

#: Insert or update the delivery row of one recipient and channel when ``{condition}`` holds
#: (the lease), unless the row is final (sent, skipped). A row found "sending" and set
#: "sending" again belongs to an attempt that died between the two records: it is flagged
#: possibly duplicated (and stays so).
_RECORD_SQL = """INSERT INTO {deliveries} AS d
    (reminder_id, person_id, channel, status, address, note, sent_at, attempt_id,
     possibly_duplicated)
SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s WHERE {condition}
ON CONFLICT (reminder_id, person_id, channel) DO UPDATE SET
    status = excluded.status,
    address = excluded.address,
    note = excluded.note,
    sent_at = excluded.sent_at,
    attempt_id = COALESCE(excluded.attempt_id, d.attempt_id),
    possibly_duplicated = d.possibly_duplicated OR (excluded.status = %s AND d.status = %s)
WHERE d.status NOT IN (%s, %s)"""

#: The portal notification, when ``{condition}`` holds and the person has none for the row.
_NOTIFY_SQL = """INSERT INTO {notifications} (user_id, title, body, link, created_at, read_at)
SELECT %s, %s, %s, %s, %s, NULL WHERE {condition} AND NOT EXISTS (
    SELECT 1 FROM {deliveries} WHERE reminder_id = %s AND person_id = %s AND channel = %s
)"""

#: After a step: whether the attempt holds the row, whether the email's row is "sending" for
#: this attempt (to be sent now), and whether it is flagged possibly duplicated.
_REPORT_SQL = """SELECT
    CASE WHEN r.lease_token = %s THEN 1 ELSE 0 END,
    CASE WHEN d.status = %s AND d.attempt_id = %s THEN 1 ELSE 0 END,
    d.possibly_duplicated
FROM {reminders} r
LEFT JOIN {deliveries} d ON d.reminder_id = r.id AND d.person_id = %s AND d.channel = %s
WHERE r.id = %s"""


@cache
def _sql(template: str) -> str:
    """``template`` with its tables named; ``{condition}`` is left for the caller."""
    quote = connection.ops.quote_name
    return template.format(
        reminders=quote(Reminder._meta.db_table),
        deliveries=quote(ReminderDelivery._meta.db_table),
        notifications=quote(Notification._meta.db_table),
        condition="{condition}",
    )


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def record_statement(
    reminder: Reminder,
    person: Person,
    channel: str,
    status: str,
    *,
    address: str = "",
    note: str = "",
    now: datetime | None = None,
    lease: Lease,
) -> Statement:
    """The upsert of one delivery row, written only while ``lease`` holds the row; an email
    "sending" carries the lease's token as its attempt."""
    condition, params = lease.held_condition()
    sending = DeliveryStatus.SENDING
    attempt = lease.token if status == sending else None
    sent_at = now if status == DeliveryStatus.SENT else None
    return (
        _sql(_RECORD_SQL).replace("{condition}", condition),
        [
            reminder.pk,
            person.pk,
            channel,
            status,
            address[:254],
            note[:200],
            db_value(ReminderDelivery, "sent_at", sent_at),
            db_value(ReminderDelivery, "attempt_id", attempt),
            False,
            *params,
            sending,
            sending,
            DeliveryStatus.SENT,
            DeliveryStatus.SKIPPED,
        ],
    )


def outcome_statement(
    reminder: Reminder,
    person: Person,
    status: str,
    *,
    address: str,
    note: str = "",
    now: datetime | None = None,
) -> Statement:
    """How the email this attempt recorded "sending" went: sent or failed (a plain UPDATE of
    that row, unless another attempt made it final meanwhile)."""
    return (
        _sql(
            "UPDATE {deliveries} SET status = %s, address = %s, note = %s, sent_at = %s"
            " WHERE reminder_id = %s AND person_id = %s AND channel = %s"
            " AND status NOT IN (%s, %s)"
        ),
        [
            status,
            address[:254],
            note[:200],
            db_value(ReminderDelivery, "sent_at", now if status == DeliveryStatus.SENT else None),
            reminder.pk,
            person.pk,
            DeliveryChannel.EMAIL,
            DeliveryStatus.SENT,
            DeliveryStatus.SKIPPED,
        ],
    )


def hold_lease(lease: Lease, batch: Batch) -> None:
    """Take or renew the lease in a step of its own; raises LeaseLost."""
    report = batch.run([lease.hold_statement(), lease.held_statement()])
    lease.confirm(bool(report and report[0]))


def message_id(reminder: Reminder, person: Person) -> str:
    """The Message-ID of the one email of ``reminder`` to ``person``: the same on every
    attempt, so a resend after a crash is the same message to the receiving mail system."""
    domain = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    return f"<reminder-{reminder.pk}.person-{person.pk}@{domain}>"


def _usable_address(reminder: Reminder, person: Person) -> tuple[str, str]:
    """The person's email address, or "" and why not (recorded as skipped)."""
    address = person.email.strip()
    if not address:
        logger.info("reminder %s: %s has no email address", reminder.pk, person.pk)
        return "", "no address"
    try:
        validate_email(address)
    except ValidationError:
        logger.warning("reminder %s: malformed address of person %s", reminder.pk, person.pk)
        return "", "malformed address"
    return address, ""


def _portal_statements(
    reminder: Reminder,
    person: Person,
    title: str,
    body: str,
    link: str,
    now: datetime,
    lease: Lease,
) -> list[Statement]:
    """The notification and its delivery row, once, in the step's transaction."""
    condition, params = lease.held_condition()
    notify = (
        _sql(_NOTIFY_SQL).replace("{condition}", condition),
        [
            person.user_id,
            title[:200],
            body,
            link[:300],
            db_value(Notification, "created_at", timezone.now()),
            *params,
            reminder.pk,
            person.pk,
            DeliveryChannel.PORTAL,
        ],
    )
    served = record_statement(
        reminder, person, DeliveryChannel.PORTAL, DeliveryStatus.SENT, now=now, lease=lease
    )
    return [notify, served]


def _report(reminder: Reminder, person: Person, lease: Lease) -> Statement:
    token = db_value(ReminderDelivery, "attempt_id", lease.token)
    return (
        _sql(_REPORT_SQL),
        [token, DeliveryStatus.SENDING, token, person.pk, DeliveryChannel.EMAIL, reminder.pk],
    )


def notify_person(
    reminder: Reminder,
    person: Person,
    *,
    title: str,
    body: str,
    link: str,
    send_email: SendEmail | None,
    now: datetime,
    lease: Lease,
    batch: Batch,
) -> None:
    """The portal notification and the email for one recipient, each at most once.

    One step renews the lease (the first takes it), writes the portal notification with its
    delivery row and records the email "sending"; it is committed before the SMTP call.
    "sent" is recorded after it, first thing in the next step. A row found "sending" belongs
    to an attempt that died in between: the email may have gone out, so it is sent again
    with the same Message-ID and marked possibly duplicated. ``send_email`` None: the person
    does not want this by email (recorded as skipped). Raises LeaseLost when another worker
    holds the row.
    """
    served = batch.served(reminder)
    portal = bool(person.user_id) and (person.pk, DeliveryChannel.PORTAL) not in served
    email = (person.pk, DeliveryChannel.EMAIL) not in served
    if not (portal or email):
        return
    address, skipped = "", "preference"
    if email and send_email is not None:
        address, skipped = _usable_address(reminder, person)
    statements = [lease.hold_statement()]
    if portal:
        statements += _portal_statements(reminder, person, title, body, link, now, lease)
    if email:
        status = DeliveryStatus.SKIPPED if skipped else DeliveryStatus.SENDING
        # A malformed address is kept for the office to see and correct.
        kept = person.email.strip() if skipped == "malformed address" else address
        statements.append(
            record_statement(
                reminder,
                person,
                DeliveryChannel.EMAIL,
                status,
                address=kept,
                note=skipped,
                lease=lease,
            )
        )
    report = batch.run([*statements, _report(reminder, person, lease)])
    held, to_send, again = report or (0, 0, False)
    lease.confirm(bool(held))
    if not (email and to_send) or send_email is None:
        return  # skipped, or served by another attempt since the batch began
    if again:
        logger.warning(
            "reminder %s: resending to person %s after an interrupted attempt",
            reminder.pk,
            person.pk,
        )
    try:
        send_email(address, message_id(reminder, person), batch.mailer)
    except OSError as exc:  # smtplib.SMTPException is an OSError
        # Recorded for the office, then re-raised so the caller retries; a failed row does
        # not count as served, so the retry tries this recipient again.
        batch.run(
            [
                outcome_statement(
                    reminder,
                    person,
                    DeliveryStatus.FAILED,
                    address=address,
                    note=str(exc) or exc.__class__.__name__,
                )
            ]
        )
        raise
    batch.later(outcome_statement(reminder, person, DeliveryStatus.SENT, address=address, now=now))


def cancel(reminder: Reminder, reason: str, *, lease: Lease | None = None) -> str:
    changes = {"status": ReminderStatus.CANCELLED}
    if reason:
        changes["last_error"] = reason[:300]
    if lease is not None:
        lease.mine().filter(sent_at=None).update(leased_until=None, lease_token=None, **changes)
    else:
        Reminder.objects.filter(pk=reminder.pk, sent_at=None).update(**changes)
    return ReminderStatus.CANCELLED
