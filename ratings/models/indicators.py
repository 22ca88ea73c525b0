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
    """The 20 yes/no indicators one committee uses for one year's self-assessment.

    Each committee owns its sets, so one office's edit never changes another committee's form.
    A set without a committee is the template (the placeholder of DOMAIN §2) that a committee
    copies when it first needs a set; no office edits it.
    """

    committee = models.ForeignKey(
        "branches.Organisation",
        on_delete=models.CASCADE,
        related_name="indicator_sets",
        verbose_name=_("Party committee"),
        null=True,
        blank=True,
    )
    year = models.PositiveIntegerField(_("year"))
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
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"], name="one_indicator_set_per_committee_year"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(committee=None),
                name="one_template_indicator_set_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.title}"


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
        help_text=_("One vote veto: a “no” caps the star at 2."),
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

    @property
    def is_placeholder(self) -> bool:
        """The indicators of a placeholder set are placeholders: the set carries the flag, as
        the office loads the official list as a whole."""
        return self.indicator_set.is_placeholder
