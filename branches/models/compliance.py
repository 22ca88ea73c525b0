"""Rules of organisational life stored as data (DOMAIN.md §3): how often each type of meeting
must be held, and the quorum and majority of the meetings that vote.

The office edits them in the admin; the defaults are loaded by a data migration.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models.meetings import MeetingType
from branches.models.organisations import Service


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class FrequencyRuleQuerySet(models.QuerySet):
    def active(self) -> FrequencyRuleQuerySet:
        return self.filter(is_active=True)

    def for_service(self, service: str) -> FrequencyRuleQuerySet:
        return self.filter(models.Q(service="") | models.Q(service=service))


class FrequencyRule(models.Model):
    """``meeting_type`` must be held at least ``minimum`` times per ``period``."""

    meeting_type = models.CharField(_("meeting type"), max_length=30, choices=MeetingType.choices)
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    minimum = models.PositiveSmallIntegerField(_("minimum count"), default=1)
    service = models.CharField(
        _("applies to"),
        max_length=20,
        choices=Service.choices,
        blank=True,
        help_text=_("Empty: every branch."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = FrequencyRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting frequency rule")
        verbose_name_plural = _("meeting frequency rules")
        ordering = ["meeting_type", "period"]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} ≥ {self.minimum} / {self.get_period_display()}"


class VotingRule(models.Model):
    """Quorum and majority of a meeting type that takes votes.

    The meeting is valid when more than ``quorum_share`` of the voting members attend; a motion
    passes when the votes for exceed ``majority_share`` of the voting members due to attend.
    """

    meeting_type = models.CharField(
        _("meeting type"), max_length=30, choices=MeetingType.choices, unique=True
    )
    quorum_share = models.DecimalField(
        _("quorum (share of voting members, exceeded)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
    )
    majority_share = models.DecimalField(
        _("majority (share of voting members due, exceeded)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.5"),
    )

    class Meta:
        verbose_name = _("voting rule")
        verbose_name_plural = _("voting rules")
        ordering = ["meeting_type"]

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()} > {self.quorum_share} / > {self.majority_share}"


class LifeRule(models.Model):
    """A number of the rules of branch life (DOMAIN.md §3–§5), editable by the office.

    ``code`` names what the number is (``self_departure_months``, ``committee_min`` …); the
    defaults are loaded by a data migration and ``branches.services.life_rules.rule_values``
    falls back on them when a row is missing.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("label"), max_length=120)
    value = models.PositiveIntegerField(_("value"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("branch-life rule")
        verbose_name_plural = _("branch-life rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"
