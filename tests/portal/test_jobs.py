"""portal.jobs on a real Celery worker against the real Redis broker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.jobs import clear_expired_sessions
from tests.celery_worker import redis_worker, wait_until
from tests.clock import WORKDAY_MORNING
from tests.services import REDIS_URL, need, redis_available

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["user"] = "x"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


@pytest.mark.django_db
def test_clear_expired_sessions_deletes_only_expired_ones():
    expired, alive = _session(timedelta(minutes=-1)), _session(timedelta(minutes=20))

    assert clear_expired_sessions() == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [alive]
    assert expired != alive


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_job_runs_on_a_real_worker_through_redis():
    need("Redis", redis_available(), REDIS_URL)
    expired, alive = _session(timedelta(minutes=-1)), _session(timedelta(minutes=20))

    with redis_worker(REDIS_URL):
        clear_expired_sessions.delay()
        gone = wait_until(lambda: not Session.objects.filter(session_key=expired).exists())

    assert gone, "the worker did not run the job within the time limit"
    assert Session.objects.filter(session_key=alive).exists()
