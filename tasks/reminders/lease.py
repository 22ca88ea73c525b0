"""The lease a worker holds on a reminder row while it sends it.

Claiming a row (the beat) and sending it (a worker) are separate: the message that carries a
claimed id can reach workers twice (a redelivery after a lost acknowledgement, a publish that
looked failed but was not, the sweep re-queueing a row whose message was only slow). So the
worker first takes a lease with a conditional UPDATE: of two workers only one sees 1, and the
other sends nothing. The holder renews the lease before each recipient in the same
transaction that records what it is about to do, so a holder whose lease ran out (it hung
longer than ``REMINDER_LEASE_SECONDS``) learns it before sending and stops.

A sender takes its lease in the transaction that records its first step (the first
recipient's notification and "sending" row): one commit less per row, and nothing is written
for a row somebody else holds, since the take is the first statement of that transaction.
Taking the lease starts an attempt, so the same UPDATE counts it.

The lease columns are not indexed and the claim never writes them: claiming stays a rewrite of
the row in place (see ``Reminder.Meta.indexes``).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Q

from tasks.models import Reminder, ReminderStatus
from tasks.reminders.batch import Statement, db_value, run_together


class LeaseLost(Exception):
    """Another worker holds the reminder (this one's lease ran out, or it never got it): stop
    at once."""


def lease_length() -> timedelta:
    return timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def lease_free(now: datetime) -> Q:
    return Q(leased_until__isnull=True) | Q(leased_until__lte=now)


def _claimed_and_free(reminder_id: int, now: datetime):
    """The row, if it is claimed, unsent and nobody holds a live lease on it."""
    return Reminder.objects.filter(
        pk=reminder_id, status=ReminderStatus.QUEUED, sent_at=None
    ).filter(lease_free(now))


@dataclass
class Lease:
    """One attempt at sending one reminder; ``token`` is also the deliveries' attempt id."""

    reminder_id: int
    now: datetime
    token: uuid.UUID = field(default_factory=uuid.uuid4)
    # The attempt's ``now`` can be fixed by the caller (the cron pass, tests): renewals add
    # the time elapsed since, so a lease is measured on the same clock as it was taken.
    started: float = field(default_factory=time.monotonic)
    #: Whether the row was taken (by the first ``renew`` or by ``take_lease``).
    held: bool = False

    def _moment(self) -> datetime:
        return self.now + timedelta(seconds=time.monotonic() - self.started)

    def mine(self):
        return Reminder.objects.filter(pk=self.reminder_id, lease_token=self.token)

    def renew(self) -> None:
        """Take the lease (the first time, counting the attempt) or extend it, on its own;
        raises LeaseLost when somebody else holds the row now, or it is no longer claimed
        (sent, or put back by the sweep). A sender does the same as the first statements of
        the transaction that records its next step (``hold_statement``), which then also
        locks the row."""
        report = run_together([self.hold_statement(), self.held_statement()])
        self.confirm(bool(report and report[0]))

    def hold_statement(self) -> Statement:
        """The take (counting the attempt) or the renewal, as one conditional UPDATE."""
        table = connection.ops.quote_name(Reminder._meta.db_table)
        moment = self._moment()
        until = db_value(Reminder, "leased_until", moment + lease_length())
        token = db_value(Reminder, "lease_token", self.token)
        if self.held:
            return (
                f"UPDATE {table} SET leased_until = %s"
                " WHERE id = %s AND lease_token = %s AND sent_at IS NULL",
                [until, self.reminder_id, token],
            )
        now = db_value(Reminder, "claimed_at", moment)
        return (
            f"UPDATE {table} SET leased_until = %s, lease_token = %s, claimed_at = %s,"
            " attempts = attempts + 1"
            " WHERE id = %s AND status = %s AND sent_at IS NULL"
            " AND (leased_until IS NULL OR leased_until <= %s)",
            [until, token, now, self.reminder_id, ReminderStatus.QUEUED, now],
        )

    def held_condition(self) -> Statement:
        """An SQL condition: this attempt holds the row (after ``hold_statement``)."""
        table = connection.ops.quote_name(Reminder._meta.db_table)
        return (
            f"EXISTS (SELECT 1 FROM {table} WHERE id = %s AND lease_token = %s)",
            [self.reminder_id, db_value(Reminder, "lease_token", self.token)],
        )

    def held_statement(self) -> Statement:
        """A SELECT of one row, one column: 1 when this attempt holds the row, else 0."""
        condition, params = self.held_condition()
        return f"SELECT CASE WHEN {condition} THEN 1 ELSE 0 END", params

    def confirm(self, held: bool) -> None:
        """What ``hold_statement`` did: raises LeaseLost when it found the row held by
        somebody else (or no longer claimed)."""
        if not held:
            raise LeaseLost(self.reminder_id)
        self.held = True

    def release(self, **changes) -> int:
        """Give the lease up, with other changes to the row made in the same UPDATE."""
        return self.mine().update(leased_until=None, lease_token=None, **changes)


def take_lease(reminder_id: int, now: datetime) -> Lease | None:
    """The lease on a claimed, unsent row, or None when another worker holds it (or the row
    is no longer claimed: the sweep put it back, and its next claim sends its own message).
    ``claimed_at`` is refreshed: the sweep leaves a row alone while someone works on it."""
    lease = Lease(reminder_id, now)
    try:
        lease.renew()
    except LeaseLost:
        return None
    return lease


def settle_unleased(reminder_id: int, now: datetime, **changes) -> bool:
    """Change a claimed row that nobody is sending, without taking a lease (cancelled as
    stale, held for quiet hours): the same condition as taking the lease, so a row another
    worker holds is left to it. False when it changed nothing."""
    return bool(
        _claimed_and_free(reminder_id, now).update(leased_until=None, lease_token=None, **changes)
    )


def lease_left(reminder_id: int, now: datetime) -> float | None:
    """Seconds until the live lease on a claimed, unsent row runs out; None when there is no
    such lease (the row is sent, cancelled or back in the claim step)."""
    until = (
        Reminder.objects.filter(
            pk=reminder_id, status=ReminderStatus.QUEUED, sent_at=None, leased_until__gt=now
        )
        .values_list("leased_until", flat=True)
        .first()
    )
    return None if until is None else (until - now).total_seconds()
