"""Emails of the tasks app, one function per kind; templates live in templates/emails/.

Rendered in the portal's language (Chinese) whatever the worker's locale, since a job has no
request to take a language from.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def reminder_title(context: dict) -> str:
    """The subject line, also the title of the in-portal notification."""
    return " ".join(render_to_string("emails/reminder_subject.txt", context).split())


def send_reminder_email(address: str, context: dict) -> None:
    """A deadline reminder to one address; SMTP errors propagate to the caller's retry."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = reminder_title(context)
        text = render_to_string("emails/reminder.txt", context)
        html = render_to_string("emails/reminder.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    message.attach_alternative(html, "text/html")
    message.send()
