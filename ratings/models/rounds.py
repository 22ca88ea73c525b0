"""The yearly rating round: committee members' ratings and the committee's star per branch.

A round belongs to one committee and one year. Opening it lists the branches to rate (one
``StarDecision`` row each, star empty until the office records it); being listed is what
"in the round" means. Members rate while it is open and see only their own ratings; once
closed, every member sees everyone's and the office records the final stars; publishing
makes them the branches' stars of that year.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validation import SaneDateField
from ratings.models.indicators import MAX_STAR, MIN_STAR, Dimension

STAR_VALIDATORS = [MinValueValidator(MIN_STAR), MaxValueValidator(MAX_STAR)]


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for ratings")
    CLOSED = "closed", _("Closed, awaiting the decision")
    PUBLISHED = "published", _("Published")


class RoundQuerySet(models.QuerySet):
    def for_committees(self, committees) -> RoundQuerySet:
        return self.filter(committee__in=committees)

    def published(self) -> RoundQuerySet:
        return self.filter(status=RoundStatus.PUBLISHED)


class RatingRound(models.Model):
    committee = models.ForeignKey(
        "branches.Organisation",
        verbose_name=_("Party committee"),
        on_delete=models.PROTECT,
        related_name="rating_rounds",
    )
    year = models.PositiveIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    self_assessment_due = SaneDateField(_("self-assessments due"))
    decision_due = SaneDateField(_("decision due"))
    include_retired = models.BooleanField(_("retired branches included"), default=False)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating round")
        verbose_name_plural = _("rating rounds")
        ordering = ["-year", "committee_id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="one_round_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.committee} · {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED


class DecisionQuerySet(models.QuerySet):
    def published(self) -> DecisionQuerySet:
        return self.filter(round__status=RoundStatus.PUBLISHED, star__isnull=False)

    def of_year(self, year: int) -> DecisionQuerySet:
        return self.filter(round__year=year)

    def for_branches(self, branches) -> DecisionQuerySet:
        return self.filter(branch__in=branches)


class StarDecision(models.Model):
    """A branch in a round, and the committee's star for it once decided."""

    round = models.ForeignKey(RatingRound, on_delete=models.CASCADE, related_name="decisions")
    branch = models.ForeignKey(
        "branches.Organisation",
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="star_decisions",
    )
    star = models.PositiveSmallIntegerField(
        _("committee's star"), null=True, blank=True, validators=STAR_VALIDATORS
    )
    rationale = models.TextField(_("rationale"), max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("star decision")
        verbose_name_plural = _("star decisions")
        ordering = ["branch__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "branch"], name="one_decision_per_branch")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.branch} · {self.star or '—'}"


class RatingQuerySet(models.QuerySet):
    def for_round(self, rating_round) -> RatingQuerySet:
        return self.filter(round=rating_round)

    def for_branch(self, branch) -> RatingQuerySet:
        return self.filter(branch=branch)

    def by_member(self, person) -> RatingQuerySet:
        return self.filter(member=person)

    def visible_to(self, person, rating_round) -> RatingQuerySet:
        """Blind while the round is open: a member sees only his own ratings."""
        ratings = self.for_round(rating_round)
        if rating_round.is_open:
            return ratings.by_member(person)
        return ratings


class CommitteeRating(models.Model):
    """One committee member's rating of one branch in a round (a second rating edits it)."""

    round = models.ForeignKey(RatingRound, on_delete=models.CASCADE, related_name="ratings")
    branch = models.ForeignKey(
        "branches.Organisation", on_delete=models.PROTECT, related_name="committee_ratings"
    )
    member = models.ForeignKey(
        "branches.Person",
        verbose_name=_("committee member"),
        on_delete=models.PROTECT,
        related_name="star_ratings",
    )
    star = models.PositiveSmallIntegerField(_("recommended star"), validators=STAR_VALIDATORS)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    # {dimension: {"score": 1–5 or None, "opinion": text}} for the four dimensions
    dimensions = models.JSONField(_("per dimension"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee rating")
        verbose_name_plural = _("committee ratings")
        ordering = ["member__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "branch", "member"], name="one_rating_per_member"
            ),
            models.CheckConstraint(
                condition=models.Q(star__gte=MIN_STAR, star__lte=MAX_STAR),
                name="rating_star_2_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.branch}: {self.star}"

    def dimension_items(self):
        """(label, score, opinion) per dimension, in the official order."""
        for value, label in Dimension.choices:
            entry = self.dimensions.get(value) or {}
            yield label, entry.get("score"), entry.get("opinion", "")
