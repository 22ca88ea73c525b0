"""A real Celery worker (in a thread) consuming from the real Redis broker, for tests."""

from __future__ import annotations

import contextlib
import os
import time

from celery.contrib.testing.worker import start_worker
from kombu import pools

from portal.celery import app


@contextlib.contextmanager
def use_broker(broker_url: str, *, visibility_timeout: int = 60):
    """This process publishes to ``broker_url`` (eagerness off) until the block ends.

    Celery prefers the CELERY_BROKER_URL environment variable (set in CI) over its
    configuration, so both are switched.
    """
    previous = (
        app.conf.broker_url,
        app.conf.broker_transport_options,
        app.conf.task_always_eager,
        os.environ.get("CELERY_BROKER_URL"),
    )
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = {"visibility_timeout": visibility_timeout}
    app.conf.task_always_eager = False
    os.environ["CELERY_BROKER_URL"] = broker_url
    _forget_connections()
    try:
        yield app
    finally:
        broker, options, eager, environ = previous
        app.conf.broker_url, app.conf.broker_transport_options = broker, options
        app.conf.task_always_eager = eager
        if environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environ
        _forget_connections()


@contextlib.contextmanager
def redis_worker(broker_url: str):
    """Point the app at ``broker_url`` and run a worker on it; restore the app afterwards."""
    with use_broker(broker_url):
        with app.connection_for_write() as conn:
            conn.default_channel.client.flushdb()  # a clean test database on the Redis server
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app


def _forget_connections() -> None:
    """Drop pooled connections so the next publish connects to the current broker URL."""

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's process-wide producer pools would hand back the closed ones


def wait_until(condition, timeout: float = 15.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()
