"""The rating cards of the home pages: rounds in progress (office), ratings to give (member)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from branches.access import scope_for
from branches.home_cards import Card
from ratings.access import member_rounds, office_rounds
from ratings.models import CommitteeRating, RoundStatus, StarDecision


def office_cards(request, _target) -> list[Card]:
    running = office_rounds(request.user).exclude(status=RoundStatus.PUBLISHED)
    return [
        Card(
            key="rounds",
            title=_("Rating rounds in progress"),
            count=running.count(),
            url=reverse("ratings:rounds"),
            urgent=False,
        )
    ]


def committee_cards(request, _target) -> list[Card]:
    """Branches of open rounds the member has not rated yet (never his own branch)."""
    person = scope_for(request.user).person
    if person is None:
        return []
    mine = CommitteeRating.objects.filter(
        round=OuterRef("round"), branch=OuterRef("branch"), member=person
    )
    to_rate = (
        StarDecision.objects.filter(
            round__in=member_rounds(request.user).filter(status=RoundStatus.OPEN)
        )
        .exclude(branch_id=person.branch_id)
        .exclude(Exists(mine))
    )
    return [
        Card(
            key="ratings",
            title=_("Ratings to give"),
            count=to_rate.count(),
            url=reverse("ratings:rate_list"),
        )
    ]
