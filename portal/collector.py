"""Pausing Python's cycle collector while a page builds many small objects.

A dashboard of 1,000 branches × 20 items builds 20,000 cells (tuples), then rows, counters and
the rendered matrix. Each allocation counts towards the collector's thresholds, so building
them sets off collections that walk every one of those live objects again, repeatedly, and the
oldest generation's full walk over all of them: that was most of the page's CPU time. Nothing
they build has reference cycles (they are freed by reference counting when the response is
done), so the collector is paused for the build and resumed after, as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any


@contextmanager
def collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_collector(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view (or any function) run with the cycle collector paused."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with collector_paused():
            return view(*args, **kwargs)

    return wrapper
