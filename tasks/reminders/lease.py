"""The lease a worker holds on a reminder row while it sends it.

Claiming a row (the beat) and sending it (a worker) are separate: the message that carries a
claimed id can reach workers twice (a redelivery after a lost acknowledgement, a publish that
looked failed but was not, the sweep re-queueing a row whose message was only slow). So the
worker first takes a lease with a conditional UPDATE: of two workers only one sees 1, and the
other sends nothing. The holder renews the lease before each recipient in the same
transaction that records what it is about to do, so a holder whose lease ran out (it hung
longer than ``REMINDER_LEASE_SECONDS``) learns it before sending and stops.

The lease columns are not indexed and the claim never writes them: claiming stays a rewrite of
the row in place (see ``Reminder.Meta.indexes``).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from tasks.models import Reminder, ReminderStatus


class LeaseLost(Exception):
    """Another worker took the reminder over (this one's lease ran out): stop at once."""


def lease_length() -> timedelta:
    return timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def lease_free(now: datetime) -> Q:
    return Q(leased_until__isnull=True) | Q(leased_until__lte=now)


@dataclass
class Lease:
    """One attempt at sending one reminder; ``token`` is also the deliveries' attempt id."""

    reminder_id: int
    now: datetime
    token: uuid.UUID = field(default_factory=uuid.uuid4)
    # The attempt's ``now`` can be fixed by the caller (the cron pass, tests): renewals add
    # the time elapsed since, so a lease is measured on the same clock as it was taken.
    started: float = field(default_factory=time.monotonic)

    def _moment(self) -> datetime:
        return self.now + timedelta(seconds=time.monotonic() - self.started)

    def mine(self):
        return Reminder.objects.filter(pk=self.reminder_id, lease_token=self.token)

    def renew(self) -> None:
        """Extend the lease; raises LeaseLost when somebody else holds the row now. Called
        inside the transaction that records the next step, which then also locks the row."""
        until = self._moment() + lease_length()
        if not self.mine().filter(sent_at=None).update(leased_until=until):
            raise LeaseLost(self.reminder_id)

    def release(self, **changes) -> int:
        """Give the lease up, with other changes to the row made in the same UPDATE."""
        return self.mine().update(leased_until=None, lease_token=None, **changes)


def take_lease(reminder_id: int, now: datetime) -> Lease | None:
    """The lease on a claimed, unsent row, or None when another worker holds it (or the row
    is no longer claimed: the sweep put it back, and its next claim sends its own message).
    ``claimed_at`` is refreshed: the sweep leaves a row alone while someone works on it."""
    lease = Lease(reminder_id, now)
    taken = (
        Reminder.objects.filter(pk=reminder_id, status=ReminderStatus.QUEUED, sent_at=None)
        .filter(lease_free(now))
        .update(leased_until=now + lease_length(), lease_token=lease.token, claimed_at=now)
    )
    return lease if taken else None


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
