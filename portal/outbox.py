"""Jobs queued by a request go through a database outbox; a request never talks to the broker.

``enqueue("tasks.build_workbook", export.pk)`` writes one ``OutboxMessage`` row in the
caller's transaction: a step that rolls back queues nothing, a step that commits keeps its
job even while the broker (Redis) is down or hung, and the page answers at database speed.
Jobs are named, not imported, so a module low in the stack never imports a jobs module.

The worker side publishes: the beat runs ``portal.publish_outbox`` every few seconds, which
takes the unpublished rows (``SELECT ... FOR UPDATE SKIP LOCKED``, so two publishers never
take the same row), sends each to the broker and marks it published. A row whose send fails
stays for the next pass. Publishing is at least once (a crash between the send and the commit
sends again), so every job queued here must be safe to run twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.celery import app
from portal.models import OutboxMessage

logger = logging.getLogger(__name__)

#: Rows one publisher transaction takes; a pass goes on with the next batch while it keeps up.
PUBLISH_BATCH = 200
#: Batches at most per pass, so one pass never runs for long; the next pass takes the rest.
MAX_BATCHES = 25
#: Published rows are kept this long (to see what was queued when), then deleted.
KEEP_PUBLISHED = timedelta(days=1)


def enqueue(task: str, *args) -> OutboxMessage:
    """Queue the job named ``task`` with JSON-serialisable ``args`` in the current transaction."""
    return OutboxMessage.objects.create(task=task, args=list(args))


def _publish_batch(limit: int) -> tuple[int, bool]:
    """Publish up to ``limit`` rows; ``(published, failed)``."""
    sent: list[int] = []
    failed = False
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.filter(published_at=None)
            .select_for_update(skip_locked=True)
            .order_by("id")[:limit]
        )
        for row in rows:
            try:
                app.send_task(row.task, args=row.args, retry=False)
            except Exception as exc:
                # Broker down or hung (the connection timeouts in settings bound the wait):
                # this row and the rest stay for the next pass, in order.
                OutboxMessage.objects.filter(pk=row.pk).update(
                    attempts=F("attempts") + 1, last_error=str(exc)[:300]
                )
                logger.warning("outbox: %s not published, will retry: %s", row, exc)
                failed = True
                break
            sent.append(row.pk)
        if sent:
            OutboxMessage.objects.filter(pk__in=sent).update(published_at=timezone.now())
    return len(sent), failed or len(rows) < limit


def publish_pending(*, batch: int = PUBLISH_BATCH, max_batches: int = MAX_BATCHES) -> int:
    """Send the unpublished rows to the broker, oldest first; returns how many were sent."""
    total = 0
    for _ in range(max_batches):
        published, done = _publish_batch(batch)
        total += published
        if done:
            break
    return total


def delete_published(now=None) -> int:
    """Delete rows published more than a day ago."""
    cutoff = (now or timezone.now()) - KEEP_PUBLISHED
    deleted, _ = OutboxMessage.objects.filter(published_at__lt=cutoff).delete()
    return deleted
