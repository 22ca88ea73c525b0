"""Emails of the tasks app, one function per kind; templates live in templates/emails/.

Rendered in the portal's language (Chinese) whatever the worker's locale, since a job has no
request to take a language from. A worker sending a batch of reminders hands them to one
``Mailer``: one SMTP connection for the batch rather than a handshake per email.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation


class Mailer:
    """One connection to the mail server kept open across the emails of one batch, opened at
    the first and closed at the end. After an error it is dropped, and the next email opens a
    fresh one: the error may have left the SMTP session anywhere. A batch is small (see
    ``tasks.reminders.batch``), so one connection carries a few dozen messages at most, below
    the per-connection limits mail servers set."""

    def __init__(self) -> None:
        self._connection: BaseEmailBackend | None = None

    def send(self, message: EmailMultiAlternatives) -> None:
        if self._connection is None:
            connection = get_connection()
            connection.open()  # opened here, send_messages leaves it open
            self._connection = connection
        try:
            self._connection.send_messages([message])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # A connection that just failed may fail again on QUIT: nothing left to lose.
            with contextlib.suppress(Exception):
                connection.close()


def _one_line(template: str, context: dict) -> str:
    return " ".join(render_to_string(template, context).split())


def _send(
    address: str,
    subject: str,
    name: str,
    context: dict,
    message_id: str,
    mailer: Mailer | None,
) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{name}.txt", context)
        html = render_to_string(f"emails/{name}.html", context)
    # A fixed Message-ID: an email sent again after a crash is the same message to the
    # receiving mail system, not a second one.
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        headers={"Message-ID": message_id},
    )
    message.attach_alternative(html, "text/html")
    if mailer is None:
        message.send()
    else:
        mailer.send(message)


def reminder_title(context: dict) -> str:
    """The subject line, also the title of the in-portal notification."""
    return _one_line("emails/reminder_subject.txt", context)


def send_reminder_email(
    address: str,
    context: dict,
    message_id: str,
    *,
    subject: str | None = None,
    mailer: Mailer | None = None,
) -> None:
    """A deadline reminder or an urge to one address; SMTP errors propagate to the retry.
    ``subject``: the ``reminder_title`` the caller rendered already for the notification."""
    if subject is None:
        with translation.override(settings.LANGUAGE_CODE):
            subject = reminder_title(context)
    _send(address, subject, "reminder", context, message_id, mailer)


def digest_title(context: dict) -> str:
    return _one_line("emails/digest_subject.txt", context)


def send_digest_email(
    address: str, context: dict, message_id: str, *, mailer: Mailer | None = None
) -> None:
    """A daily digest of overdue tasks (liaison member or party office) to one address."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = digest_title(context)
    _send(address, subject, "digest", context, message_id, mailer)


def send_person_reminder_email(
    address: str, context: dict, message_id: str, *, mailer: Mailer | None = None
) -> None:
    """A branch-life reminder (a relation flag, a development step due) to one address; the
    subject is the title chosen when it was planned."""
    _send(address, context["title"], "person_reminder", context, message_id, mailer)


def send_change_email(
    address: str, context: dict, message_id: str, *, mailer: Mailer | None = None
) -> None:
    """A change to someone's work (returned, approved, extended, published, a new comment...)
    to one address; the subject is the title stored with the row."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _one_line("emails/change_subject.txt", context)
    _send(address, subject, "change", context, message_id, mailer)
