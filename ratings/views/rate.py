"""Committee members' pages: the branches to rate and one branch's evidence with the rating.

Blind while the round is open: a member sees only his own ratings; after it closes, every
member's rating of the branch is shown. A member does not rate the branch he belongs to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from branches.access import scope_for
from branches.services.compliance import compliance_summary
from portal.errors import Refused
from ratings import services
from ratings.access import get_entry_for_member, member_rounds
from ratings.forms import RatingForm
from ratings.models import CommitteeRating
from tasks.models import Assignment


def branch_evidence(branch, year: int) -> dict:
    """What a rater reads: the self-assessment, 三会一课 compliance, the year's submissions."""
    sheet = services.self_assessment(branch, year)
    submissions = (
        Assignment.objects.live()
        .filter(branch=branch, item__area__notice__year=year)
        .exclude(item__kind="star_self_assessment")
        .select_related("item__area")
        .order_by("item__deadline", "item__id")
    )
    return {
        "sheet": sheet,
        "answers": list(sheet.answers.all()) if sheet else [],
        "compliance": {"summary": compliance_summary(branch, year)},
        "submissions": submissions,
    }


@login_required
def rate_list(request):
    rounds = list(
        member_rounds(request.user).exclude(status="published").select_related("committee")
    )
    person = scope_for(request.user).person
    mine = set(
        CommitteeRating.objects.filter(round__in=rounds, member=person).values_list(
            "round_id", "branch_id"
        )
    )
    listing = []
    for rating_round in rounds:
        entries = rating_round.decisions.select_related("branch")
        if person is not None:
            entries = entries.exclude(branch_id=person.branch_id)
        listing.append(
            (rating_round, [(e, (rating_round.pk, e.branch_id) in mine) for e in entries])
        )
    return render(request, "ratings/rate_list.html", {"listing": listing})


@login_required
def rate_branch(request, round_pk: int, branch_pk: int):
    entry = get_entry_for_member(request.user, round_pk, branch_pk)
    rating_round, branch = entry.round, entry.branch
    person = scope_for(request.user).person
    own = (
        CommitteeRating.objects.for_round(rating_round).for_branch(branch).by_member(person).first()
    )
    form = RatingForm(request.POST or None, rating=own)
    if request.method == "POST":
        if not rating_round.is_open:
            messages.error(request, _("The round is closed; ratings can no longer be changed."))
            return redirect("ratings:rate_branch", rating_round.pk, branch.pk)
        if form.is_valid():
            try:
                _rating, created = services.rate(
                    rating_round.pk,
                    branch.pk,
                    person,
                    star=form.cleaned_data["star"],
                    comment=form.cleaned_data["comment"],
                    dimensions=form.dimensions(),
                    user=request.user,
                )
            except services.NotInRound as exc:
                raise Http404 from exc
            except Refused as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(
                    request,
                    _("Your rating is saved.") if created else _("Your rating is updated."),
                )
                return redirect("ratings:rate_list")
    visible = (
        CommitteeRating.objects.visible_to(person, rating_round)
        .for_branch(branch)
        .select_related("member")
    )
    return render(
        request,
        "ratings/rate.html",
        {
            "round": rating_round,
            "entry": entry,
            "branch": branch,
            "form": form,
            "own": own,
            "ratings": visible,
            **branch_evidence(branch, rating_round.year),
        },
    )
