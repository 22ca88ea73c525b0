"""A batch of claimed reminder rows, sent by one worker process.

The beat hands a worker up to ``SEND_BATCH`` claimed ids per message rather than one. The
worker shares them out among a few senders (threads, ``REMINDER_SENDERS``, on PostgreSQL),
each with its own database and SMTP connection; a sender sends its rows one after the other,
one email at a time, so that while one waits for a commit or for the mail server's reply,
another works. What a sender's rows need is read once for all of them (``Batch``: the rows
with their assignments, the policy, the recipients, who is already served, the change-email
preferences), and their emails go through one SMTP connection (``Mailer``). Each row is still
sent under its own lease, with its own delivery rows, exactly as a row sent alone
(``tasks.reminders.sending``).

What is read here is a starting point, never the last word: every write that depends on it is
conditional (the lease, the delivery rows' upserts), so a row served or taken by another worker
since the batch began is skipped, not sent twice.

One round trip and one commit per email: what a recipient's step writes before its SMTP call
(the lease taken or renewed, the portal notification, the email "sending") is a handful of
statements run as one transaction (``Batch.run``: one message to PostgreSQL). The writes that
follow an email handed to the mail server (its "sent", and the row's own "sent" after its last
recipient) wait, and go first in the sender's next step. An email is thus still recorded
"sent" before its sender hands over another, and a kill in between leaves it "sending", the
one case that was already there (resent with the same Message-ID, counted as possibly sent
twice): at most one email per sender.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, models, transaction
from django.db.models import F

from branches.models import Person, RoleKind
from tasks.models import (
    DeliveryStatus,
    NotificationPreference,
    Reminder,
    ReminderDelivery,
    ReminderKind,
    ReminderPolicy,
)
from tasks.reminders.emails import Mailer
from tasks.reminders.policy import current_policy

#: Claimed rows per send job. Large enough that the per-message and per-sender costs (a
#: database connection, an SMTP connection: a TLS handshake with a remote server) are spread
#: over many emails, small enough that a sender's share takes seconds (its data stays fresh)
#: and that a batch whose mail server hangs (30 s per SMTP step) ends well within the
#: broker's visibility timeout (an hour).
SEND_BATCH = 100
#: Rows per sender at least: a smaller batch is sent by fewer senders (a sender's connections
#: cost more than they save on a few emails).
ROWS_PER_SENDER = 10
#: Roles that receive a branch's deadline reminders.
RECIPIENT_ROLES = (RoleKind.SECRETARY, RoleKind.ORGANISATION_MEMBER)

#: One SQL statement and its parameters.
Statement = tuple[str, list[Any]]


def db_value(model: type[models.Model], name: str, value: Any) -> Any:
    """``value`` as the database stores the field (a UUID or a datetime differ per backend)."""
    return model._meta.get_field(name).get_db_prep_value(value, connection)


def run_together(statements: list[Statement]) -> tuple | None:
    """Run the statements as one transaction; the first row of the last one's result.

    PostgreSQL receives them in one message: a query of several statements is one
    transaction, so a step costs one round trip and one commit. SQLite runs them one by one
    in a transaction (a round trip costs it nothing).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                ";\n".join(sql for sql, _params in statements),
                [value for _sql, params in statements for value in params],
            )
        else:
            with transaction.atomic():
                for sql, params in statements:
                    cursor.execute(sql, params)
        return cursor.fetchone() if cursor.description else None


def senders_for(count: int) -> int:
    """How many senders share a batch of ``count`` rows: several only on PostgreSQL and
    outside a transaction (each sender has its own connection, which would not see the
    caller's uncommitted rows; SQLite has one writer at a time)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, min(settings.REMINDER_SENDERS, count // ROWS_PER_SENDER))


def _on_own_connection(work: Callable[[list[int]], dict[int, str]], ids: list[int]):
    try:
        return work(ids)
    finally:
        connections.close_all()  # this thread's connections only


def in_senders(ids: list[int], work: Callable[[list[int]], dict[int, str]]) -> dict[int, str]:
    """``work`` (one sender's loop over its rows) over ``ids``, shared out among
    ``senders_for`` threads, each on its own database connection; their outcomes merged.
    A sender's error is raised once all have finished."""
    senders = senders_for(len(ids))
    if senders == 1:
        return work(ids)
    with ThreadPoolExecutor(max_workers=senders, thread_name_prefix="reminder-sender") as pool:
        shares = [pool.submit(_on_own_connection, work, ids[n::senders]) for n in range(senders)]
    outcomes: dict[int, str] = {}
    for share in shares:
        outcomes.update(share.result())
    return outcomes


class Batch:
    """What the rows of one sender share; use it as a context manager (closing writes what is
    pending and closes the mail connection)."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = list(ids)
        self.mailer = Mailer()
        self._rows: dict[int, Reminder] | None = None
        self._policy: ReminderPolicy | None = None
        self._recipients: dict[int, list[Person]] | None = None
        self._served: dict[int, set[tuple[int, str]]] | None = None
        self._muted: dict[int, list[str]] | None = None
        self._pending: list[Statement] = []

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if error is None:
                self.flush()
            else:
                # The emails handed over before the error did go out: record them if the
                # database still answers (if not, they stay "sending" and are counted).
                with contextlib.suppress(DatabaseError):
                    self.flush()
        finally:
            self.mailer.close()

    # --- what the rows need, read once ----------------------------------------------------
    def row(self, pk: int) -> Reminder | None:
        if self._rows is None:
            rows = (
                Reminder.objects.select_related(
                    "assignment__item__area__notice", "assignment__branch", "person__user"
                )
                # Long texts no reminder shows, read with every row otherwise.
                .defer(
                    "assignment__report_text",
                    "assignment__review_comment",
                    "assignment__item__instructions",
                    "assignment__item__area__description",
                    "assignment__item__area__body",
                    "assignment__item__area__notice__introduction",
                )
                .filter(pk__in=self.ids)
            )
            self._rows = {row.pk: row for row in rows}
        return self._rows.get(pk)

    @property
    def policy(self) -> ReminderPolicy:
        if self._policy is None:
            self._policy = current_policy()
        return self._policy

    def recipients(self, reminder: Reminder) -> list[Person]:
        """The secretaries and organisation members of the row's branch, by id."""
        if self._recipients is None:
            branches = {
                row.assignment.branch_id
                for pk in self.ids
                if (row := self.row(pk)) is not None and row.assignment_id
            }
            people = (
                Person.objects.filter(
                    roles__organisation_id__in=branches, roles__kind__in=RECIPIENT_ROLES
                )
                .annotate(recipient_of=F("roles__organisation_id"))
                .select_related("user")
                .distinct()
                .order_by("id")
            )
            self._recipients = {}
            for person in people:
                self._recipients.setdefault(person.recipient_of, []).append(person)
        return self._recipients.get(reminder.assignment.branch_id, [])

    def served(self, reminder: Reminder) -> set[tuple[int, str]]:
        """Recipients and channels already served (sent or skipped: final); a failed attempt
        is tried again, and so is one left "sending" by a crash (see ``notify_person``)."""
        if self._served is None:
            self._served = {}
            for pk, person, channel in ReminderDelivery.objects.filter(
                reminder_id__in=self.ids, status__in=(DeliveryStatus.SENT, DeliveryStatus.SKIPPED)
            ).values_list("reminder_id", "person_id", "channel"):
                self._served.setdefault(pk, set()).add((person, channel))
        return self._served.get(reminder.pk, set())

    def muted_change_emails(self, person_id: int) -> list[str]:
        """The kinds of change the person wants no email about."""
        if self._muted is None:
            people = {
                row.person_id
                for pk in self.ids
                if (row := self.row(pk)) is not None and row.kind == ReminderKind.CHANGE
            }
            self._muted = dict(
                NotificationPreference.objects.filter(person_id__in=people).values_list(
                    "person_id", "muted_change_emails"
                )
            )
        return self._muted.get(person_id) or []

    # --- writes ---------------------------------------------------------------------------
    def later(self, *statements: Statement) -> None:
        """Writes to make first in the next step (what follows an email handed over)."""
        self._pending.extend(statements)

    def run(self, statements: list[Statement]) -> tuple | None:
        """One step: the pending writes, then ``statements``, as one transaction (see
        ``run_together``); the first row of the last statement's result. The pending writes
        are dropped once committed: if the step fails, they stay for the next one."""
        result = run_together([*self._pending, *statements])
        self._pending = []
        return result

    def flush(self) -> None:
        """Make the pending writes now."""
        if self._pending:
            self.run([])
