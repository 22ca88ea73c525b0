"""The to-do panel on the branch page (registered into branches.panels from TasksConfig)."""

from __future__ import annotations

from branches.access import scope_for
from tasks.views.branch import open_assignments_for

PANEL_ROWS = 8


def todo_panel(request, organisation):
    """Open tasks of the branch, for its editors and the office; nothing for others."""
    scope = scope_for(request.user)
    if not organisation.is_branch:
        return None
    if organisation.pk not in scope.branch_ids and not scope.is_office:
        return None
    rows = list(open_assignments_for(organisation)[: PANEL_ROWS + 1])
    return (
        "tasks/branch/_todo_panel.html",
        {"branch": organisation, "assignments": rows[:PANEL_ROWS], "more": len(rows) > PANEL_ROWS},
    )
