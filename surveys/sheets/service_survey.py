"""``service_survey``: 我为群众办实事调研情况表 — kind and exporter (attachment 2)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.exporters import CHOICE, DATE, INT, Column, register_exporter
from surveys.models import Concern, ServiceSurvey
from surveys.sheets.base import SheetKind, SheetRowsExporter

C = Concern


@register_exporter
class ServiceSurveyExporter(SheetRowsExporter):
    identifier = "surveys.service_survey"
    title = _("Survey of practical things done for the masses")
    sheet_title = _("Service-request survey")
    columns = (
        Column("position", _("No."), 6, INT),
        Column("date", _("Survey date"), 12, DATE, True),
        Column("method", _("Method"), 10, CHOICE, True, C.Method.choices),
        Column("people", _("People consulted"), 14),
        Column("concern", _("Concern"), 30, required=True),
        Column("category", _("Category"), 12, CHOICE, True, C.Category.choices),
        Column("suggestion", _("Suggested solution"), 24),
        Column("solver", _("Solved by"), 12, CHOICE, True, C.Solver.choices),
        Column("sent_on", _("Date sent to the office"), 12, DATE),
        Column("handling", _("Handling"), 10, CHOICE, False, C.Handling.choices),
        Column("owner", _("Owner"), 10),
        Column("deadline", _("Deadline"), 12, DATE),
        Column("progress", _("Progress"), 20),
        Column("result", _("Result"), 20),
        Column("told_on", _("Date people were told"), 12, DATE),
        Column("told_channel", _("Channel people were told"), 14),
        Column("satisfaction", _("Satisfaction"), 10, CHOICE, False, C.Satisfaction.choices),
        Column("closed_on", _("Closed on"), 12, DATE),
    )


class ServiceSurveyKind(SheetKind):
    key = "service_survey"
    label = _("Service-request survey (attachment 2)")
    audit_name = "surveys.service_survey"
    sheet_model = ServiceSurvey
    row_model = Concern
    header_fields = ("notes",)
    row_fields = tuple(c.key for c in ServiceSurveyExporter.columns if c.key != "position")
    exporter_class = ServiceSurveyExporter
    row_label = _("Concern")
    row_template = "surveys/_concern_office_answer.html"
    kept_fields = (
        "office_department",
        "office_result",
        "office_told_on",
        "office_told_channel",
        "office_recorded_at",
        "office_recorded_by_id",
    )

    def row_identity(self, row) -> tuple:
        # The same concern raised on the same day; spacing differences from Excel are ignored.
        return (row.date, " ".join(row.concern.split()))
