"""``brand_plan``: 一支部一品牌创建计划表 — kind and exporter (attachment 3)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.exporters import DATE, INT, Column, register_exporter
from portal.validation import model_errors
from portal.xlsx_import import RowError
from surveys.models import BrandMeasure, BrandPlan
from surveys.sheets.base import SheetKind, SheetRowsExporter


@register_exporter
class BrandPlanExporter(SheetRowsExporter):
    """The measures of the plan, between the plan's header fields and its closing fields."""

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
    # Keys are the BrandPlan fields (``branch`` is the branch's name, never imported).
    header_columns = (
        Column("branch", _("Party branch")),
        Column("secretary", _("Secretary")),
        Column("member_count", _("Member count"), kind=INT),
        Column("department", _("Lab or department")),
        Column("brand_name", _("Brand name")),
        Column("slogan", _("Slogan")),
        Column("meaning", _("Meaning")),
        Column("research_link", _("Link to the research work")),
        Column("goals", _("Goals")),
    )
    footer_columns = (
        Column("expected_results", _("Expected results")),
        Column("meeting_date", _("Committee meeting date"), kind=DATE),
        Column("committee_opinion", _("Committee opinion")),
    )


#: The committee's opinion (党委意见) is the office's to write at review
#: (``surveys.services.record_committee_opinion``): the branch's form and import never set it.
OFFICE_FIELDS = ("committee_opinion",)
IMPORTED_FIELDS = tuple(
    col.key
    for col in (*BrandPlanExporter.header_columns, *BrandPlanExporter.footer_columns)
    if col.key != "branch" and col.key not in OFFICE_FIELDS
)
TEXT_FIELDS = {col.key for col in BrandPlanExporter.header_columns if col.kind == "text"} | {
    "expected_results",
}


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
    )
    row_fields = ("measure", "milestone", "owner", "output")
    exporter_class = BrandPlanExporter
    row_label = _("Measure")
    can_carry_forward = True
    view_template = "surveys/brand_plan_view.html"

    def exporter(self, assignment, **kwargs):
        sheet = self.get_sheet(assignment)
        fields = {"branch": assignment.branch.name}
        if sheet is not None:
            fields.update(
                {name: getattr(sheet, name) for name in (*IMPORTED_FIELDS, *OFFICE_FIELDS)}
            )
        return super().exporter(assignment, fields=fields, **kwargs)

    def apply_import(self, assignment, rows, fields=None) -> int:
        """Rows replace the plan's rows; header fields read from the file (if given) too."""
        count = super().apply_import(assignment, rows)
        values = {k: v for k, v in (fields or {}).items() if k in IMPORTED_FIELDS}
        if values:
            sheet = self.get_sheet(assignment)
            for name, value in values.items():
                setattr(sheet, name, "" if value is None and name in TEXT_FIELDS else value)
            sheet.save(update_fields=[*values, "updated_at"])
        return count

    def check_fields(self, fields, rows=None) -> list[RowError]:
        """The model's rules for the header fields read from a file (length, range, dates);
        ``rows`` gives the Excel row of each value."""
        rows = rows or {}
        labels = {
            col.key: str(col.header)
            for col in (*BrandPlanExporter.header_columns, *BrandPlanExporter.footer_columns)
        }
        values = {
            name: "" if value is None and name in TEXT_FIELDS else value
            for name, value in fields.items()
            if name in IMPORTED_FIELDS
        }
        # An empty value is allowed in a draft: only filled values are checked.
        filled = [name for name, value in values.items() if value not in (None, "")]
        return [
            RowError(rows.get(name), labels[name], message)
            for name, messages in model_errors(BrandPlan(**values), filled).items()
            for message in messages
        ]

    def submit_errors(self, assignment):
        errors = super().submit_errors(assignment)
        sheet = self.get_sheet(assignment)
        if sheet is None or not sheet.brand_name.strip():
            errors.insert(0, str(_("Give the brand a name before submitting.")))
        return errors
