"""The star self-assessment (四强·星级自评表) of one branch for one assignment (attachment 4)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validation import MAX_MEMBER_COUNT, SaneDateField
from ratings.models.indicators import MAX_STAR, MIN_STAR, Indicator, IndicatorSet


class SelfAssessmentQuerySet(models.QuerySet):
    def of_year(self, year: int) -> SelfAssessmentQuerySet:
        return self.filter(
            assignment__item__kind="star_self_assessment",
            assignment__item__area__notice__year=year,
            assignment__item__withdrawn_at=None,
        )

    def for_branches(self, branches) -> SelfAssessmentQuerySet:
        return self.filter(assignment__branch__in=branches)


class StarSelfAssessment(models.Model):
    assignment = models.OneToOneField(
        "tasks.Assignment", on_delete=models.CASCADE, related_name="star_self_assessment"
    )
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="+")
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    committee_members = models.CharField(_("committee members"), max_length=300, blank=True)
    full_members = models.PositiveIntegerField(
        _("full members"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MEMBER_COUNT)],
    )
    probationary_members = models.PositiveIntegerField(
        _("probationary members"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MEMBER_COUNT)],
    )
    founded_on = SaneDateField(_("founded on"), null=True, blank=True)
    last_election_on = SaneDateField(_("last election on"), null=True, blank=True)
    self_star = models.PositiveSmallIntegerField(
        _("self-assessed star"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_STAR), MaxValueValidator(MAX_STAR)],
    )
    gaps = models.TextField(_("main gaps and measures"), max_length=4000, blank=True)
    meeting_date = SaneDateField(_("committee meeting date"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SelfAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("star self-assessment")
        verbose_name_plural = _("star self-assessments")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.assignment.branch}"

    @property
    def yes_count(self) -> int:
        """Computed from the answers, never typed."""
        return sum(1 for a in self.answers.all() if a.answer == StarAnswer.Answer.YES)

    def vetoed(self) -> list[Indicator]:
        """Veto indicators answered “no”."""
        return [
            a.indicator
            for a in self.answers.all()
            if a.indicator.is_veto and a.answer == StarAnswer.Answer.NO
        ]


class StarAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    assessment = models.ForeignKey(
        StarSelfAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("yes/no"), max_length=3, choices=Answer.choices, blank=True)
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)

    class Meta:
        ordering = ["indicator__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.answer or '—'}"
