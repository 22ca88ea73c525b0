"""``compliance_self_check``: the 三会一课 self-check (notice item 五(三)).

The branch does not type its figures: the page shows the compliance the portal computed from
its meeting records for the notice's year; the secretary adds remarks (what was missed and how
it is being put right) and submits to confirm. The branch's liaison committee member then
acknowledges it (``tasks.services.acknowledge``); the office sees it but does not review it.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.services.compliance import compliance_summary
from tasks.kinds import DeliverableKind, register
from tasks.models import local_today


class SelfCheckForm(forms.Form):
    report_text = forms.CharField(
        label=_("Remarks"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For each gap: why it happened and how the branch is putting it right."),
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)


def summary_of(assignment) -> dict:
    return compliance_summary(
        assignment.branch, assignment.item.area.notice.year, today=local_today()
    )


class ComplianceSelfCheckKind(DeliverableKind):
    key = "compliance_self_check"
    label = _("Self-check of the three meetings and one lesson (三会一课)")
    view_template = "tasks/kinds/compliance_self_check_view.html"
    intro_template = "tasks/kinds/compliance_self_check_intro.html"
    acknowledged_by_liaison = True

    def form(self, assignment, *, data=None, files=None):
        initial = {"report_text": assignment.report_text}
        return SelfCheckForm(data=data, files=files, assignment=assignment, initial=initial)

    def apply(self, form, assignment, user) -> list[str]:
        assignment.report_text = form.cleaned_data["report_text"]
        return ["report_text"]

    def submit_errors(self, assignment) -> list[str]:
        if summary_of(assignment)["gaps"] and not assignment.report_text.strip():
            return [str(_("The computed compliance shows gaps: explain them in the remarks."))]
        return []

    def summary(self, assignment) -> str:
        figures = summary_of(assignment)
        return str(_("%(met)s of %(due)s periods met") % figures)

    def context(self, assignment) -> dict:
        return {"compliance": summary_of(assignment)}


register(ComplianceSelfCheckKind())
