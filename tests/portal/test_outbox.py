"""The outbox: requests queue jobs as rows in their own transaction; the beat's publisher sends."""

from __future__ import annotations

import threading
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal import outbox
from portal.jobs import delete_published_outbox, publish_outbox
from portal.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def send():
    with mock.patch("portal.outbox.app.send_task") as send_task:
        yield send_task


def test_enqueue_writes_a_row_in_the_callers_transaction(send):
    with transaction.atomic():
        message = outbox.enqueue("tasks.build_workbook", 7)
        assert OutboxMessage.objects.filter(pk=message.pk).exists()
    row = OutboxMessage.objects.get()
    assert (row.task, row.args, row.published_at) == ("tasks.build_workbook", [7], None)
    assert not send.called  # queueing never talks to the broker


def test_a_rolled_back_step_queues_nothing(send):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("tasks.build_workbook", 1)
        raise RuntimeError("the step failed")
    assert not OutboxMessage.objects.exists()


def test_the_publisher_sends_each_row_in_order_and_marks_it(send):
    first = outbox.enqueue("tasks.build_workbook", 1)
    second = outbox.enqueue("tasks.send_reminder", 5)
    with time_machine.travel("2030-03-18 10:00:00+08:00", tick=False):
        assert publish_outbox() == 2
        now = timezone.now()
    assert send.call_args_list == [
        mock.call("tasks.build_workbook", args=[1], retry=False),
        mock.call("tasks.send_reminder", args=[5], retry=False),
    ]
    for row in (first, second):
        row.refresh_from_db()
        assert row.published_at == now
    assert publish_outbox() == 0  # nothing is sent twice by the next pass
    assert send.call_count == 2


def test_a_failed_send_leaves_the_row_and_the_rest_for_the_next_pass(send):
    first = outbox.enqueue("tasks.send_reminder", 1)
    second = outbox.enqueue("tasks.send_reminder", 2)
    send.side_effect = OperationalError("Connection refused")
    assert publish_outbox() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.published_at is None and second.published_at is None
    assert first.attempts == 1 and "refused" in first.last_error
    assert send.call_count == 1  # stopped at the first failure, order kept

    send.side_effect = None
    assert publish_outbox() == 2
    assert [c.kwargs["args"] for c in send.call_args_list[1:]] == [[1], [2]]
    assert not OutboxMessage.objects.filter(published_at=None).exists()


def test_a_pass_goes_on_batch_after_batch(send):
    for n in range(5):
        outbox.enqueue("tasks.send_reminder", n)
    assert outbox.publish_pending(batch=2) == 5
    assert send.call_count == 5


def test_published_rows_are_deleted_after_a_day(send):
    old = outbox.enqueue("tasks.send_reminder", 1)
    recent = outbox.enqueue("tasks.send_reminder", 2)
    waiting = outbox.enqueue("tasks.send_reminder", 3)
    now = timezone.now()
    OutboxMessage.objects.filter(pk=old.pk).update(published_at=now - timedelta(days=1, hours=1))
    OutboxMessage.objects.filter(pk=recent.pk).update(published_at=now - timedelta(hours=23))
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(days=3))
    assert delete_published_outbox() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


def test_the_beat_publishes_every_few_seconds_and_cleans_up_hourly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    publish = next(e for e in schedule.values() if e["task"] == "portal.publish_outbox")
    assert 1 <= publish["schedule"] <= 5
    assert publish["options"]["expires"] <= 30  # passes missed during an outage do not pile up
    cleanup = next(e for e in schedule.values() if e["task"] == "portal.delete_published_outbox")
    assert cleanup["schedule"] == 3600.0


@pytest.mark.django_db(transaction=True)
def test_a_row_another_publisher_holds_is_skipped(send):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    held = outbox.enqueue("tasks.send_reminder", 1)
    free = outbox.enqueue("tasks.send_reminder", 2)

    locked, release = threading.Event(), threading.Event()

    def other_publisher():
        with transaction.atomic():
            OutboxMessage.objects.select_for_update().get(pk=held.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_publisher)
    thread.start()
    try:
        assert locked.wait(10)
        assert publish_outbox() == 1
    finally:
        release.set()
        thread.join()
    assert send.call_args_list == [mock.call("tasks.send_reminder", args=[2], retry=False)]
    free.refresh_from_db()
    held.refresh_from_db()
    assert free.published_at is not None and held.published_at is None


def test_the_worker_side_gives_up_on_a_dead_or_hung_broker_in_seconds():
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 5
    if settings.CELERY_BROKER_URL.startswith("redis"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        assert options["socket_connect_timeout"] <= 5 and options["socket_timeout"] <= 10
