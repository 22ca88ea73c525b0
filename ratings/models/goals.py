"""The committee's long-term star goal (DOMAIN §2): every in-service branch at least ``star``
stars by the end of ``year`` — the seed notice's "2023年底，在职党支部全部实现三星级及以上".

The goal is the committee's own plan, so it belongs to the committee (one row each) and its
office edits it; a committee without a row yet has the seed's goal (``default_indicators``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratings.models.indicators import MAX_STAR, MIN_STAR


class StarGoal(models.Model):
    committee = models.OneToOneField(
        "branches.Organisation",
        on_delete=models.CASCADE,
        related_name="star_goal",
        verbose_name=_("Party committee"),
    )
    star = models.PositiveSmallIntegerField(
        _("at least (stars)"),
        validators=[MinValueValidator(MIN_STAR), MaxValueValidator(MAX_STAR)],
    )
    year = models.PositiveIntegerField(
        _("by the end of (year)"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("star goal")
        verbose_name_plural = _("star goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(star__gte=MIN_STAR, star__lte=MAX_STAR),
                name="goal_star_2_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} · ≥{self.star}★ · {self.year}"
