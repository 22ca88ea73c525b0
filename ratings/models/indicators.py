"""The yearly indicator sets of the star rating (DOMAIN §2): 4 dimensions, 20 yes/no items."""

from __future__ import annotations

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
    is_veto = models.BooleanField(
        _("veto indicator"),
        default=False,
        help_text=_("A “no” caps the star at 2 when the veto rule is switched on."),
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "number"], name="indicator_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"
