"""Panels that other apps add to the branch page and to the member's profile, without
branches importing them.

An app registers a callable ``panel(request, organisation)`` returning ``(template, context)``
or None (nothing to show for this user or organisation). The branch page includes each
template in registration order. Profile panels are the same with the profile's person
(``panel(request, person)``; the person may be None).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Panel = Callable[[Any, Any], tuple[str, dict] | None]

_panels: list[Panel] = []
_profile_panels: list[Panel] = []


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


def register_profile_panel(panel: Panel) -> Panel:
    if panel not in _profile_panels:
        _profile_panels.append(panel)
    return panel


def profile_panels(request, person) -> list[dict]:
    rendered = []
    for panel in _profile_panels:
        result = panel(request, person)
        if result is not None:
            template, context = result
            rendered.append({"template": template, "context": context})
    return rendered
