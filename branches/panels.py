"""Panels that other apps add to the branch page, without branches importing them.

An app registers a callable ``panel(request, organisation)`` returning ``(template, context)``
or None (nothing to show for this user or organisation). The branch page includes each
template in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Panel = Callable[[Any, Any], tuple[str, dict] | None]

_panels: list[Panel] = []


def register_branch_panel(panel: Panel) -> Panel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def branch_panels(request, organisation) -> list[dict]:
    rendered = []
    for panel in _panels:
        result = panel(request, organisation)
        if result is not None:
            template, context = result
            rendered.append({"template": template, "context": context})
    return rendered
