"""Writes of the yearly star rating: open and close a round, rate, decide, publish.

Each is one transaction and one audit entry. Bad input raises ``RatingRefused`` with a message
for the user and changes nothing; a branch outside the round raises ``NotInRound`` (a 404).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation, Person
from portal.audit import log_action
from portal.errors import Refused
from ratings.audit_actions import (
    ACTION_DECISION_RECORDED,
    ACTION_GOAL_CHANGED,
    ACTION_RATING_CHANGED,
    ACTION_RATING_CREATED,
    ACTION_ROUND_CLOSED,
    ACTION_ROUND_OPENED,
    ACTION_ROUND_PUBLISHED,
)
from ratings.models import (
    MAX_STAR,
    MIN_STAR,
    CommitteeRating,
    Dimension,
    RatingRound,
    RoundStatus,
    StarDecision,
    StarGoal,
    StarSelfAssessment,
)

#: The seed notice's dates: self-assessments by 20 November, the decision by 20 December.
SELF_ASSESSMENT_DUE = (11, 20)
DECISION_DUE = (12, 20)
SCORES = range(1, 6)


class RatingRefused(Refused):
    """A rating step was refused; ``message`` is for the user."""


class NotInRound(Exception):
    """The branch is not rated in this round (or the member may not rate it)."""


def _check_star(star) -> int:
    if not isinstance(star, int) or isinstance(star, bool) or not MIN_STAR <= star <= MAX_STAR:
        raise RatingRefused(_("The star must be between 2 and 5."))
    return star


def eligible_branches(committee: Organisation, decision_due: date, include_retired: bool):
    """Active branches of the committee founded at least a year before the decision."""
    year_before = decision_due.replace(year=decision_due.year - 1)
    branches = Organisation.objects.within(committee).branches().active()
    if not include_retired:
        branches = branches.in_service()
    return branches.filter(Q(founded_on__isnull=True) | Q(founded_on__lte=year_before))


@transaction.atomic
def open_round(
    committee: Organisation,
    year: int,
    user,
    *,
    self_assessment_due: date | None = None,
    decision_due: date | None = None,
) -> RatingRound:
    self_assessment_due = self_assessment_due or date(year, *SELF_ASSESSMENT_DUE)
    decision_due = decision_due or date(year, *DECISION_DUE)
    if decision_due < self_assessment_due:
        raise RatingRefused(_("The decision cannot be due before the self-assessments."))
    include_retired = settings.RATINGS_INCLUDE_RETIRED
    try:
        with transaction.atomic():
            rating_round = RatingRound.objects.create(
                committee=committee,
                year=year,
                self_assessment_due=self_assessment_due,
                decision_due=decision_due,
                include_retired=include_retired,
                opened_by=user,
            )
    except IntegrityError:
        raise RatingRefused(
            _("The year %(year)s already has a rating round.") % {"year": year}
        ) from None
    branches = list(eligible_branches(committee, decision_due, include_retired))
    StarDecision.objects.bulk_create(
        StarDecision(round=rating_round, branch=branch) for branch in branches
    )
    log_action(
        rating_round,
        ACTION_ROUND_OPENED,
        user=user,
        data={"year": year, "branches": len(branches), "include_retired": include_retired},
    )
    return rating_round


def _locked(round_id: int) -> RatingRound:
    return RatingRound.objects.select_for_update().get(pk=round_id)


@transaction.atomic
def close_round(round_id: int, user) -> RatingRound:
    rating_round = _locked(round_id)
    if not rating_round.is_open:
        raise RatingRefused(_("The round is already closed."))
    rating_round.status = RoundStatus.CLOSED
    rating_round.closed_at = timezone.now()
    rating_round.save(update_fields=["status", "closed_at"])
    log_action(
        rating_round,
        ACTION_ROUND_CLOSED,
        user=user,
        data={"ratings": rating_round.ratings.count()},
    )
    return rating_round


def clean_dimensions(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Keep the four dimensions only, scores 1–5 or empty, opinions as text."""
    cleaned = {}
    for dimension in Dimension.values:
        entry = values.get(dimension) or {}
        score = entry.get("score")
        if score in ("", None):
            score = None
        elif not isinstance(score, int) or score not in SCORES:
            raise RatingRefused(_("A dimension score must be between 1 and 5."))
        opinion = str(entry.get("opinion") or "").strip()[:2000]
        if score is not None or opinion:
            cleaned[dimension] = {"score": score, "opinion": opinion}
    return cleaned


@transaction.atomic
def rate(
    round_id: int,
    branch_id: int,
    member: Person,
    *,
    star,
    comment: str = "",
    dimensions: dict | None = None,
    user=None,
) -> tuple[CommitteeRating, bool]:
    """Save the member's rating of the branch; a second rating edits the first."""
    rating_round = _locked(round_id)
    if not rating_round.decisions.filter(branch_id=branch_id).exists():
        raise NotInRound
    if member.branch_id == branch_id:
        raise NotInRound
    if not rating_round.is_open:
        raise RatingRefused(_("The round is closed; ratings can no longer be changed."))
    star = _check_star(star)
    values = {
        "star": star,
        "comment": (comment or "").strip()[:4000],
        "dimensions": clean_dimensions(dimensions or {}),
    }
    rating = CommitteeRating.objects.filter(
        round=rating_round, branch_id=branch_id, member=member
    ).first()
    created = rating is None
    if created:
        rating = CommitteeRating.objects.create(
            round=rating_round, branch_id=branch_id, member=member, **values
        )
    else:
        for name, value in values.items():
            setattr(rating, name, value)
        rating.save(update_fields=[*values, "updated_at"])
    log_action(
        rating,
        ACTION_RATING_CREATED if created else ACTION_RATING_CHANGED,
        user=user,
        data={"round": rating_round.pk, "branch": branch_id, "star": star},
    )
    return rating, created


def self_assessment(branch, year: int) -> StarSelfAssessment | None:
    return (
        StarSelfAssessment.objects.of_year(year)
        .filter(assignment__branch=branch)
        .select_related("assignment")
        .prefetch_related("answers__indicator__indicator_set")
        .order_by("-assignment__item__deadline")
        .first()
    )


def veto_cap(branch, year: int) -> list:
    """Veto indicators the branch answered “no”: each caps the star at 2."""
    sheet = self_assessment(branch, year)
    return sheet.vetoed() if sheet else []


@transaction.atomic
def decide(round_id: int, branch_id: int, *, star, rationale: str, user) -> StarDecision:
    """Record the committee's star of one branch (the office, after the round closed)."""
    rating_round = _locked(round_id)
    entry = rating_round.decisions.select_related("branch").filter(branch_id=branch_id).first()
    if entry is None:
        raise NotInRound
    if rating_round.is_open:
        raise RatingRefused(_("Close the round before recording the committee's stars."))
    if rating_round.is_published:
        raise RatingRefused(_("The stars of this round are published and can no longer change."))
    star = _check_star(star)
    vetoed = veto_cap(entry.branch, rating_round.year)
    if vetoed and star > MIN_STAR:
        raise RatingRefused(
            _("A veto indicator is answered “no” (%(numbers)s): the star is at most 2.")
            % {"numbers": ", ".join(str(i.number) for i in vetoed)}
        )
    entry.star = star
    entry.rationale = (rationale or "").strip()[:4000]
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.save(update_fields=["star", "rationale", "decided_by", "decided_at"])
    log_action(
        entry,
        ACTION_DECISION_RECORDED,
        user=user,
        data={"round": rating_round.pk, "branch": branch_id, "star": star},
    )
    return entry


@transaction.atomic
def publish(round_id: int, user) -> RatingRound:
    rating_round = _locked(round_id)
    if not rating_round.is_closed:
        raise RatingRefused(_("Only a closed round can be published."))
    missing = list(
        rating_round.decisions.filter(star__isnull=True).values_list("branch__name", flat=True)
    )
    if missing:
        raise RatingRefused(
            _("Record the committee's star of every branch first; missing: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    rating_round.status = RoundStatus.PUBLISHED
    rating_round.published_at = timezone.now()
    rating_round.save(update_fields=["status", "published_at"])
    log_action(
        rating_round,
        ACTION_ROUND_PUBLISHED,
        user=user,
        data={"branches": rating_round.decisions.count()},
    )
    return rating_round


@transaction.atomic
def set_goal(committee: Organisation, *, star, year, user) -> StarGoal:
    """The committee's long-term goal: every in-service branch at least ``star`` stars by the
    end of ``year`` (the office edits it when the committee's plan changes)."""
    star = _check_star(star)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise RatingRefused(_("The year must be between 2000 and 2100."))
    goal, created = StarGoal.objects.select_for_update().get_or_create(
        committee=committee, defaults={"star": star, "year": year}
    )
    before = None if created else {"star": goal.star, "year": goal.year}
    if not created:
        goal.star, goal.year = star, year
        goal.save(update_fields=["star", "year", "updated_at"])
    log_action(
        goal,
        ACTION_GOAL_CHANGED,
        user=user,
        data={"star": star, "year": year, "before": before},
    )
    return goal


# --- reads --------------------------------------------------------------------------------------
@dataclass
class BranchSummary:
    """One branch of a round as the office sees it."""

    entry: StarDecision
    self_star: int | None
    ratings: list[CommitteeRating] = field(default_factory=list)
    vetoed: list = field(default_factory=list)

    @property
    def branch(self):
        return self.entry.branch

    @property
    def stars(self) -> list[int]:
        return [r.star for r in self.ratings]

    @property
    def mean(self) -> float | None:
        return round(statistics.fmean(self.stars), 2) if self.stars else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.stars) if self.stars else None

    @property
    def spread(self) -> int | None:
        """Highest minus lowest recommendation: how far the members agree."""
        return max(self.stars) - min(self.stars) if self.stars else None


def round_summary(rating_round: RatingRound) -> list[BranchSummary]:
    """Every branch of the round with its self-assessed star, the ratings and their figures."""
    entries = list(rating_round.decisions.select_related("branch", "decided_by"))
    ratings: dict[int, list[CommitteeRating]] = {}
    for rating in CommitteeRating.objects.for_round(rating_round).select_related("member"):
        ratings.setdefault(rating.branch_id, []).append(rating)
    sheets = (
        StarSelfAssessment.objects.of_year(rating_round.year)
        .for_branches([e.branch_id for e in entries])
        .prefetch_related("answers__indicator__indicator_set")
        .order_by("assignment__item__deadline")
    )
    by_branch = {sheet.assignment.branch_id: sheet for sheet in sheets.select_related("assignment")}
    summaries = []
    for entry in entries:
        sheet = by_branch.get(entry.branch_id)
        summaries.append(
            BranchSummary(
                entry=entry,
                self_star=sheet.self_star if sheet else None,
                ratings=ratings.get(entry.branch_id, []),
                vetoed=sheet.vetoed() if sheet else [],
            )
        )
    return summaries
