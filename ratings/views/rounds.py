"""The office's pages of the rating round: open, follow, close, decide each star, publish."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import editable_organisations
from branches.models import OrgKind
from portal.errors import Refused
from ratings import services
from ratings.access import get_round_for_office, office_rounds
from ratings.forms import DecisionForm, OpenRoundForm
from ratings.views.rate import branch_evidence


def _committees(user):
    return editable_organisations(user).filter(kind=OrgKind.COMMITTEE)


@login_required
def rounds(request):
    queryset = office_rounds(request.user).select_related("committee")
    form = OpenRoundForm(request.POST or None, committees=_committees(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rating_round = services.open_round(
                data["committee"],
                data["year"],
                request.user,
                self_assessment_due=data["self_assessment_due"],
                decision_due=data["decision_due"],
            )
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The %(year)s round is open with %(count)s branch(es).")
                % {"year": rating_round.year, "count": rating_round.decisions.count()},
            )
            return redirect("ratings:round_detail", rating_round.pk)
    return render(request, "ratings/rounds.html", {"rounds": queryset, "form": form})


@login_required
def round_detail(request, pk: int):
    rating_round = get_round_for_office(request.user, pk)
    summaries = services.round_summary(rating_round)
    return render(
        request,
        "ratings/round_detail.html",
        {
            "round": rating_round,
            "summaries": summaries,
            "decided": sum(1 for s in summaries if s.entry.star is not None),
        },
    )


def _step(request, pk: int, action, done_message: str):
    rating_round = get_round_for_office(request.user, pk)
    try:
        action(rating_round.pk, request.user)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done_message)
    return redirect("ratings:round_detail", rating_round.pk)


@require_POST
@login_required
def round_close(request, pk: int):
    return _step(
        request, pk, services.close_round, _("The round is closed; record the committee's stars.")
    )


@require_POST
@login_required
def round_publish(request, pk: int):
    return _step(request, pk, services.publish, _("The stars are published."))


@login_required
def decide(request, pk: int, branch_pk: int):
    rating_round = get_round_for_office(request.user, pk)
    entry = get_object_or_404(rating_round.decisions.select_related("branch"), branch_id=branch_pk)
    summary = next(s for s in services.round_summary(rating_round) if s.entry.pk == entry.pk)
    initial = {"star": entry.star, "rationale": entry.rationale} if entry.star else None
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                rating_round.pk,
                branch_pk,
                star=form.cleaned_data["star"],
                rationale=form.cleaned_data["rationale"],
                user=request.user,
            )
        except services.NotInRound as exc:
            raise Http404 from exc
        except Refused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("The committee's star of %(branch)s is recorded.") % {"branch": entry.branch},
            )
            return redirect("ratings:round_detail", rating_round.pk)
    return render(
        request,
        "ratings/decide.html",
        {
            "round": rating_round,
            "entry": entry,
            "summary": summary,
            "form": form,
            "editable": rating_round.is_closed,
            **branch_evidence(entry.branch, rating_round.year),
        },
    )
