"""The published stars: one year's stars, the history across years, the goal, the export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from portal.access import get_in_scope_or_404
from portal.xlsx_http import xlsx_response
from ratings.access import result_committees
from ratings.models import RatingRound, StarDecision
from ratings.results import GOAL_STAR, StarResultsExporter, goal_progress, history


@login_required
def results(request):
    committees = list(result_committees(request.user))
    rounds = list(
        RatingRound.objects.published().for_committees(committees).select_related("committee")
    )
    years = sorted({r.year for r in rounds}, reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError:
        year = years[0] if years else 0
    decisions = (
        StarDecision.objects.published()
        .of_year(year)
        .filter(round__committee__in=committees)
        .select_related("branch", "round")
    )
    return render(
        request,
        "ratings/results.html",
        {
            "years": years,
            "year": year,
            "rounds": [r for r in rounds if r.year == year],
            "decisions": decisions,
            "history": history(committees),
            "progress": goal_progress(committees, year) if year else None,
            "goal_star": GOAL_STAR,
        },
    )


@login_required
def results_export(request, pk: int):
    committees = result_committees(request.user)
    rating_round = get_in_scope_or_404(
        RatingRound.objects.published().for_committees(committees).select_related("committee"),
        pk=pk,
    )
    exporter = StarResultsExporter(rating_round)
    return xlsx_response(exporter, exporter.filename())
