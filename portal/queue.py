"""Enqueueing jobs so that a broker outage never breaks a page.

Jobs are queued after the transaction commits. If the broker (Redis) is down, the request still
succeeds: the work is either recorded in the database and picked up again (reminders are rows
claimed by the beat pass) or logged as not queued.
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """``task.delay(*args, **kwargs)`` once the current transaction commits, never raising."""

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except (OperationalError, ConnectionError, OSError) as exc:
            logger.warning("broker unavailable, %s%r not queued: %s", task.name, args, exc)
        except Exception:
            # Whatever else goes wrong in the client, the user's change is already committed.
            logger.exception("%s%r could not be queued", task.name, args)

    transaction.on_commit(send)
