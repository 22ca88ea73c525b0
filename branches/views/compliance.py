"""三会一课 compliance of a branch: a grid per rule and month with the gaps highlighted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from branches.access import can_read_branch_life, readable_branch, scope_for
from branches.services.compliance import compliance_summary, month_grid
from branches.services.life_rules import committee_warnings, secretary_lesson_warnings
from branches.services.self_departure import self_departures
from branches.views.meetings import current_year


@login_required
def compliance(request, pk: int):
    branch = readable_branch(request.user, pk)
    year = current_year(request)
    summary = compliance_summary(branch, year, today=timezone.localdate())
    return render(
        request,
        "branches/compliance/compliance.html",
        {
            "branch": branch,
            "year": year,
            "summary": summary,
            "rows": month_grid(summary),
            "months": range(1, 13),
            "ratio_pct": round(summary["ratio"] * 100),
        },
    )


def compliance_panel(request, organisation):
    """The year's compliance on the branch page, for its editors and the committee's readers."""
    if not organisation.is_branch:
        return None
    scope = scope_for(request.user)
    if not can_read_branch_life(request.user, organisation):
        return None
    today = timezone.localdate()
    summary = compliance_summary(organisation, today.year, today=today)
    return (
        "branches/compliance/_panel.html",
        {
            "branch": organisation,
            "summary": summary,
            "ratio_pct": round(summary["ratio"] * 100),
            "is_editor": organisation.pk in scope.branch_ids or scope.is_office,
            "rule_warnings": committee_warnings(organisation, today)
            + secretary_lesson_warnings(organisation, today.year, today),
            "self_departures": self_departures(organisation, today),
        },
    )
