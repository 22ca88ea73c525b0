"""The to-do panel on the branch page (registered into branches.panels from TasksConfig)."""

from __future__ import annotations

from tasks.access import keeps_branch, open_assignments_for

PANEL_ROWS = 8


def todo_panel(request, organisation):
    """The branch's one to-do list, for those who keep the branch (its secretary); the others who
    read the branch page see its assignments across notices instead (never both)."""
    if not organisation.is_branch or not keeps_branch(request.user, organisation):
        return None
    rows = list(open_assignments_for(organisation)[: PANEL_ROWS + 1])
    return (
        "tasks/branch/_todo_panel.html",
        {"branch": organisation, "assignments": rows[:PANEL_ROWS], "more": len(rows) > PANEL_ROWS},
    )
