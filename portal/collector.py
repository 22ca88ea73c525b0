"""Pausing Python's cycle collector while a page builds many small objects.

A dashboard of 1,000 branches × 20 items builds 20,000 cells (tuples), then rows, counters and
the rendered matrix. Each allocation counts towards the collector's thresholds, so building
them sets off collections that walk every one of those live objects again, repeatedly, and the
oldest generation's full walk over all of them: that was most of the page's CPU time. Nothing
they build has reference cycles, so the collector is paused for the build and resumed after,
as it was; such a view renders with ``render_releasing_context`` so that they are freed by
reference counting when the view returns, not by the collector.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import Engine, RequestContext


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


def render_releasing_context(
    request: HttpRequest, template_name: str, context: dict[str, Any]
) -> HttpResponse:
    """``django.shortcuts.render``, leaving no reference cycle around ``context``'s values.

    The template engine's RequestContext and the dict of the view's values it pushes refer to
    each other: whatever a page was given is freed only by the next collection, which must walk
    all of it first (for the dashboard's 20,000 cells, a few milliseconds more than freeing
    them). Popping the view's values off the context's stack once the page is written breaks that
    cycle. The test
    client keeps its own copy of the stack, so tests still read ``response.context``."""
    template = Engine.get_default().get_template(template_name)
    request_context = RequestContext(request)
    # push() as a context manager pops the view's values off the stack when the page is written.
    with request_context.push(context):
        content = template.render(request_context)
    return HttpResponse(content)
