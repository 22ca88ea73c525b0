"""The published stars: one year's stars, the history across years, the goal, the export;
the office's edit of its committee's goal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.access import get_in_scope_or_404
from portal.errors import Refused
from portal.xlsx_http import xlsx_response
from ratings import services
from ratings.access import get_committee_for_office, goal_committee_ids, result_committees
from ratings.forms import GoalForm
from ratings.models import RatingRound, StarDecision
from ratings.results import StarResultsExporter, goal_progress, goals_of, history


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
            "goals": goals_of(committees),
            "editable_goals": goal_committee_ids(request.user),
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


@login_required
def goal_edit(request, pk: int):
    committee = get_committee_for_office(request.user, pk)
    (goal,) = goals_of([committee])
    data = request.POST if request.method == "POST" else None
    form = GoalForm(data, initial={"star": goal.star, "year": goal.year})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_goal(
                committee,
                star=form.cleaned_data["star"],
                year=form.cleaned_data["year"],
                user=request.user,
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The star goal is saved."))
            return redirect(reverse("ratings:results") + "#goal")
    return render(
        request, "ratings/goal_edit.html", {"committee": committee, "goal": goal, "form": form}
    )
