"""``rectification``: 党支部相关整改问题及举措 — kind and exporter (attachment 1)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.exporters import CHOICE, DATE, INT, Column, register_exporter
from surveys.models import RectificationItem, RectificationList
from surveys.sheets.base import SheetKind, SheetRowsExporter

R = RectificationItem


@register_exporter
class RectificationExporter(SheetRowsExporter):
    identifier = "surveys.rectification"
    title = _("Rectification problems and measures of the Party branch")
    sheet_title = _("Rectification list")
    columns = (
        Column("position", _("No."), 6, INT),
        Column("source", _("Source"), 12, CHOICE, True, R.Source.choices),
        Column("category", _("Category"), 12),
        Column("problem", _("Problem"), 30, required=True),
        Column("goal", _("Goal"), 20),
        Column("measures", _("Measures"), 34, required=True),
        Column("owner", _("Owner"), 10, required=True),
        Column("committee_owner", _("Responsible committee member"), 12),
        Column("deadline", _("Deadline"), 12, DATE, True),
        Column("term", _("Type"), 10, CHOICE, True, R.Term.choices),
        Column("progress", _("Progress"), 20),
        Column("status", _("Status"), 12, CHOICE, True, R.Status.choices),
        Column("evidence", _("Evidence"), 20),
        Column("meeting_date", _("Committee meeting date"), 12, DATE),
        Column("remarks", _("Remarks"), 14),
    )


class RectificationKind(SheetKind):
    key = "rectification"
    label = _("Rectification list (attachment 1)")
    audit_name = "surveys.rectification"
    sheet_model = RectificationList
    row_model = RectificationItem
    header_fields = ("notes",)
    row_fields = tuple(c.key for c in RectificationExporter.columns if c.key != "position")
    exporter_class = RectificationExporter
    row_label = _("Problem")
    can_carry_forward = True

    def carry_rows(self, rows):
        # Closed items stay in last year's list; the open ones continue.
        return [r for r in rows if r.status != RectificationItem.Status.CLOSED]
