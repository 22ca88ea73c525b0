"""Template helpers of the attachment forms: the read-only table and the toolbar.

Any deliverable kind that offers ``exporter(assignment)`` (and ``header_items``) can use them,
so the browser table and the Excel sheet show the same columns.
"""

from __future__ import annotations

from django import template

from surveys.access import can_give_opinion
from surveys.forms import CommitteeOpinionForm

register = template.Library()


@register.inclusion_tag("surveys/_sheet_table.html")
def sheet_table(kind, assignment, printing=False):
    exporter = kind.exporter(assignment)
    rows = list(exporter.display_rows())
    row_objects = kind.rows_of(assignment) if hasattr(kind, "rows_of") else []
    extra = getattr(kind, "row_template", "")
    return {
        "exporter": exporter,
        "columns": exporter.columns,
        "rows": list(zip(rows, row_objects or [None] * len(rows), strict=False)),
        "header_items": kind.header_items(assignment),
        "row_template": extra,
        "printing": printing,
    }


@register.inclusion_tag("surveys/_sheet_toolbar.html", takes_context=True)
def sheet_toolbar(context, kind, assignment, editing=False):
    return {
        "assignment": assignment,
        "kind": kind,
        "editing": editing,
        "can_carry_forward": editing and getattr(kind, "can_carry_forward", False),
        "can_import": editing and hasattr(kind, "apply_import"),
    }


@register.inclusion_tag("surveys/_brand_plan_opinion.html", takes_context=True)
def brand_plan_opinion(context, kind, assignment):
    """党委意见 under a brand plan: the office writes it at review; everybody else reads it."""
    plan = kind.get_sheet(assignment)
    writable = plan is not None and can_give_opinion(context["request"].user, assignment)
    return {
        "assignment": assignment,
        "opinion": plan.committee_opinion if plan else "",
        "form": CommitteeOpinionForm(instance=plan) if writable else None,
    }
