"""Published stars: per branch and year, the history across years, the progress to each
committee's goal "every in-service branch at least N stars by the end of year Y" (DOMAIN §2,
a ``StarGoal`` row per committee), and their Excel sheet."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation, Service
from portal.exporters import DATE, INT, Column, Exporter, register_exporter
from ratings.default_indicators import GOAL_STAR, GOAL_YEAR
from ratings.models import RatingRound, StarDecision, StarGoal, StarSelfAssessment


def goals_of(committees) -> list[StarGoal]:
    """Each committee's goal, in the committees' order; a committee that never saved one has
    the seed's goal (unsaved)."""
    committees = list(committees)
    goals = StarGoal.objects.filter(committee__in=committees).select_related("committee")
    saved = {g.committee_id: g for g in goals}
    return [
        saved.get(c.pk) or StarGoal(committee=c, star=GOAL_STAR, year=GOAL_YEAR) for c in committees
    ]


@dataclass
class History:
    years: list[int]
    rows: list[tuple[Organisation, list[int | None]]]


def history(committees) -> History:
    """Branch × year of the published stars of these committees' rounds."""
    decisions = (
        StarDecision.objects.published()
        .filter(round__committee__in=committees)
        .select_related("branch")
        .order_by("branch__path", "round__year")
    )
    years: set[int] = set()
    by_branch: dict[int, tuple[Organisation, dict[int, int]]] = {}
    for decision in decisions.values_list("branch_id", "round__year", "star"):
        branch_id, year, star = decision
        years.add(year)
        by_branch.setdefault(branch_id, ({}, {}))[1][year] = star
    branches = {b.pk: b for b in Organisation.objects.filter(pk__in=by_branch)}
    ordered_years = sorted(years)
    rows = [
        (branches[pk], [stars.get(y) for y in ordered_years])
        for pk, (_unused, stars) in sorted(by_branch.items(), key=lambda kv: branches[kv[0]].path)
    ]
    return History(ordered_years, rows)


@dataclass
class GoalProgress:
    year: int
    goals: list[StarGoal] = field(default_factory=list)
    total: int = 0
    reached: int = 0
    below: list[tuple[Organisation, int | None]] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.reached / self.total) if self.total else 0

    @property
    def star(self) -> int | None:
        """The goal's star when every committee shown has the same one."""
        stars = {g.star for g in self.goals}
        return stars.pop() if len(stars) == 1 else None


def goal_progress(committees, year: int) -> GoalProgress:
    """In-service active branches whose published star of ``year`` reaches their committee's
    goal; the others listed."""
    goals = goals_of(committees)
    branches = (
        list(Organisation.objects.within(*committees).branches().active().in_service())
        if goals
        else []
    )
    stars = dict(
        StarDecision.objects.published()
        .of_year(year)
        .filter(round__committee__in=committees)
        .values_list("branch_id", "star")
    )
    progress = GoalProgress(year=year, goals=goals, total=len(branches))
    for branch in branches:
        goal = next(g for g in goals if branch.path.startswith(g.committee.path))
        star = stars.get(branch.pk)
        if star is not None and star >= goal.star:
            progress.reached += 1
        else:
            progress.below.append((branch, star))
    return progress


@register_exporter
class StarResultsExporter(Exporter):
    """The committee's stars of one published round, one row per branch (official layout)."""

    identifier = "ratings.star_results"
    title = gettext_lazy("Four strong star branches: results of the committee's rating")
    sheet_title = gettext_lazy("Star rating results")
    columns = (
        Column("no", gettext_lazy("No."), 6, INT),
        Column("branch", gettext_lazy("Party branch"), 24),
        Column("service", gettext_lazy("In service or retired"), 10),
        Column("founded", gettext_lazy("Founded on"), 12, DATE),
        Column("self_star", gettext_lazy("Self-assessed star"), 10, INT),
        Column("ratings", gettext_lazy("Members' recommendations"), 16),
        Column("star", gettext_lazy("Star decided by the committee"), 12, INT),
        Column("previous", gettext_lazy("Star of the previous year"), 12, INT),
        Column("rationale", gettext_lazy("Rationale"), 40),
    )
    header_columns = (
        Column("year", gettext_lazy("Year"), kind=INT),
        Column("published", gettext_lazy("Published on"), kind=DATE),
        Column("rated", gettext_lazy("Branches rated"), kind=INT),
        Column("goal", gettext_lazy("Star goal of the committee")),
    )

    def __init__(self, rating_round: RatingRound, **kwargs):
        kwargs.setdefault("unit_name", str(rating_round.committee))
        progress = goal_progress([rating_round.committee], rating_round.year)
        (goal,) = progress.goals
        kwargs.setdefault(
            "fields",
            {
                "year": rating_round.year,
                "published": (
                    timezone.localdate(rating_round.published_at)
                    if rating_round.published_at
                    else None
                ),
                "rated": rating_round.decisions.count(),
                "goal": _(
                    "every in-service branch at least %(star)s stars by the end of %(year)s; "
                    "%(reached)s of %(total)s in %(this_year)s"
                )
                % {
                    "star": goal.star,
                    "year": goal.year,
                    "reached": progress.reached,
                    "total": progress.total,
                    "this_year": rating_round.year,
                },
            },
        )
        super().__init__(**kwargs)
        self.round = rating_round

    @classmethod
    def for_notice(cls, notice) -> StarResultsExporter | None:
        """The published round of the notice's committee and year joins its workbook."""
        rating_round = (
            RatingRound.objects.published()
            .filter(committee=notice.committee, year=notice.year)
            .select_related("committee")
            .first()
        )
        return cls(rating_round) if rating_round else None

    def filename(self) -> str:
        return f"{self.title}_{self.round.year}.xlsx"

    def rows(self) -> Iterator[list[Any]]:
        rating_round = self.round
        services = dict(Service.choices)
        previous = dict(
            StarDecision.objects.published()
            .filter(round__committee=rating_round.committee, round__year=rating_round.year - 1)
            .values_list("branch_id", "star")
        )
        self_stars = dict(
            StarSelfAssessment.objects.of_year(rating_round.year).values_list(
                "assignment__branch_id", "self_star"
            )
        )
        recommendations: dict[int, list[int]] = {}
        for branch_id, star in rating_round.ratings.values_list("branch_id", "star"):
            recommendations.setdefault(branch_id, []).append(star)
        entries = rating_round.decisions.select_related("branch").order_by(
            "branch__service", "branch__path"
        )
        for number, entry in enumerate(entries, 1):
            branch = entry.branch
            stars = sorted(recommendations.get(branch.pk, []), reverse=True)
            yield [
                number,
                branch.name,
                str(services.get(branch.service, branch.service)),
                branch.founded_on,
                self_stars.get(branch.pk),
                " ".join(str(s) for s in stars) or _("none"),
                entry.star,
                previous.get(branch.pk),
                entry.rationale,
            ]
