"""A real Celery worker (in a thread) consuming from the real Redis broker, for tests."""

from __future__ import annotations

import contextlib
import time

from celery.contrib.testing.worker import start_worker

from portal.celery import app


@contextlib.contextmanager
def redis_worker(broker_url: str):
    """Point the app at ``broker_url`` and run a worker on it; restore the app afterwards."""
    previous = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = broker_url
    app.conf.broker_transport_options = {"visibility_timeout": 60}
    _forget_connections()
    try:
        with app.connection_for_write() as conn:
            conn.default_channel.client.flushdb()  # a clean test database on the Redis server
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = previous
        _forget_connections()


def _forget_connections() -> None:
    """Drop pooled connections so the next publish connects to the current broker URL."""
    from kombu import pools

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
