"""The star self-assessment (四强·星级自评表) and its yearly indicator sets (DOMAIN §2)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MIN_STAR, MAX_STAR = 2, 5


class Dimension(models.TextChoices):
    POLITICAL = "political", _("Political function strong")
    COMMITTEE = "committee", _("Branch committee strong")
    MEMBERSHIP = "membership", _("Membership strong")
    ROLE = "role", _("Role played strong")


class IndicatorSet(models.Model):
    """The 20 yes/no indicators used for one year's self-assessment."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    is_placeholder = models.BooleanField(
        _("placeholder"),
        default=False,
        help_text=_("Set while the official list has not been loaded."),
    )

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} · {self.title}"

    @classmethod
    def for_year(cls, year: int) -> IndicatorSet | None:
        """That year's set, else the latest earlier one (the list rarely changes)."""
        return cls.objects.filter(year__lte=year).order_by("-year").first()


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators"
    )
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    number = models.PositiveIntegerField(_("no."))
    text = models.CharField(_("indicator"), max_length=300)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "number"], name="indicator_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class StarSelfAssessment(models.Model):
    assignment = models.OneToOneField(
        "tasks.Assignment", on_delete=models.CASCADE, related_name="star_self_assessment"
    )
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="+")
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    committee_members = models.CharField(_("committee members"), max_length=300, blank=True)
    full_members = models.PositiveIntegerField(_("full members"), null=True, blank=True)
    probationary_members = models.PositiveIntegerField(
        _("probationary members"), null=True, blank=True
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    last_election_on = models.DateField(_("last election on"), null=True, blank=True)
    self_star = models.PositiveSmallIntegerField(
        _("self-assessed star"),
        null=True,
        blank=True,
        validators=[MinValueValidator(MIN_STAR), MaxValueValidator(MAX_STAR)],
    )
    gaps = models.TextField(_("main gaps and measures"), max_length=4000, blank=True)
    meeting_date = models.DateField(_("committee meeting date"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("star self-assessment")
        verbose_name_plural = _("star self-assessments")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.assignment.branch}"

    @property
    def yes_count(self) -> int:
        """Computed from the answers, never typed."""
        return sum(1 for a in self.answers.all() if a.answer == StarAnswer.Answer.YES)


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
