"""Attachment 3: 一支部一品牌创建计划表 (DOMAIN §6)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validation import MAX_MEMBER_COUNT, SaneDateField
from surveys.models.base import AssignmentSheet, SheetRow


class BrandPlan(AssignmentSheet):
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    member_count = models.PositiveIntegerField(
        _("member count"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_MEMBER_COUNT)],
    )
    department = models.CharField(_("lab or department"), max_length=200, blank=True)
    brand_name = models.CharField(_("brand name"), max_length=30, blank=True)
    slogan = models.CharField(_("slogan"), max_length=100, blank=True)
    meaning = models.TextField(_("meaning"), max_length=2000, blank=True)
    research_link = models.TextField(_("link to the research work"), max_length=2000, blank=True)
    goals = models.TextField(_("goals"), max_length=2000, blank=True)
    expected_results = models.TextField(_("expected results"), max_length=2000, blank=True)
    meeting_date = SaneDateField(_("committee meeting date"), null=True, blank=True)
    committee_opinion = models.TextField(_("committee opinion"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("brand plan")
        verbose_name_plural = _("brand plans")


class BrandMeasure(SheetRow):
    sheet = models.ForeignKey(BrandPlan, on_delete=models.CASCADE, related_name="rows")
    measure = models.TextField(_("measure"), max_length=2000)
    milestone = SaneDateField(_("milestone date"), null=True, blank=True)
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    output = models.TextField(_("expected output"), max_length=2000, blank=True)

    class Meta(SheetRow.Meta):
        verbose_name = _("brand measure")
        verbose_name_plural = _("brand measures")
