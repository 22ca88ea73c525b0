"""``brand_plan``: 一支部一品牌创建计划表 — kind and exporter (attachment 3)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.exporters import DATE, INT, Column, register_exporter
from surveys.formkit import SheetKind, SheetRowsExporter
from surveys.models import BrandMeasure, BrandPlan


@register_exporter
class BrandPlanExporter(SheetRowsExporter):
    """The measures of the plan; the plan's header is printed above them in the browser."""

    identifier = "surveys.brand_plan"
    title = _("One branch one brand: creation plan")
    sheet_title = _("Brand plan")
    columns = (
        Column("position", _("No."), 6, INT),
        Column("measure", _("Measure"), 40, required=True),
        Column("milestone", _("Milestone date"), 14, DATE),
        Column("owner", _("Owner"), 12),
        Column("output", _("Expected output"), 34),
    )


class BrandPlanKind(SheetKind):
    key = "brand_plan"
    label = _("Brand plan (attachment 3)")
    audit_name = "surveys.brand_plan"
    sheet_model = BrandPlan
    row_model = BrandMeasure
    header_fields = (
        "secretary",
        "member_count",
        "department",
        "brand_name",
        "slogan",
        "meaning",
        "research_link",
        "goals",
        "expected_results",
        "meeting_date",
        "committee_opinion",
    )
    row_fields = ("measure", "milestone", "owner", "output")
    exporter_class = BrandPlanExporter
    row_label = _("Measure")
    can_carry_forward = True

    def submit_errors(self, assignment):
        errors = super().submit_errors(assignment)
        sheet = self.get_sheet(assignment)
        if sheet is None or not sheet.brand_name.strip():
            errors.insert(0, str(_("Give the brand a name before submitting.")))
        return errors
