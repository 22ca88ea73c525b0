"""``development_report``: the branch's member-development pipeline, kept as it was when saved.

Every save (and so the submission) stores a snapshot of the pipeline read from branches; the
report text shows it as lines, so the office reads what the branch reported even after the
cases move on.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import ReportSnapshot
from branches.services.development import pipeline_snapshot
from tasks.kinds import DeliverableKind, register
from tasks.models import local_today

SUBJECT = "development"


class SnapshotNotesForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The branch's current list is attached automatically when saved."),
    )


def snapshot_of(assignment, subject: str) -> ReportSnapshot | None:
    if assignment.pk is None:
        return None
    return ReportSnapshot.objects.filter(
        subject=subject, reference=f"assignment:{assignment.pk}"
    ).first()


def store_snapshot(assignment, subject: str, data: dict) -> ReportSnapshot:
    snapshot, _created = ReportSnapshot.objects.update_or_create(
        subject=subject,
        reference=f"assignment:{assignment.pk}",
        defaults={"branch": assignment.branch, "taken_on": local_today(), "data": data},
    )
    return snapshot


def pipeline_lines(data: dict) -> list[str]:
    if not data["cases"]:
        return [_("No one in development, checked on %(date)s.") % {"date": data["taken_on"]}]
    lines = [_("Member development on %(date)s:") % {"date": data["taken_on"]}]
    for row in data["cases"]:
        lines.append(
            _(
                "%(person)s — %(stage)s; last step %(last)s (%(last_on)s); "
                "next %(next)s, due %(due)s"
            )
            % {
                "person": row["person"],
                "stage": row["stage"],
                "last": row["last_step"],
                "last_on": row["last_step_on"],
                "next": row["next_step"],
                "due": row["due_on"] or "—",
            }
        )
    return lines


class DevelopmentReportKind(DeliverableKind):
    key = "development_report"
    label = gettext_lazy("Member development report")

    def form(self, assignment, *, data=None, files=None):
        snapshot = snapshot_of(assignment, SUBJECT)
        notes = snapshot.data.get("notes", "") if snapshot else ""
        return SnapshotNotesForm(data=data, initial={"notes": notes})

    def apply(self, form, assignment, user) -> list[str]:
        data = pipeline_snapshot(assignment.branch, local_today())
        data["notes"] = form.cleaned_data["notes"]
        store_snapshot(assignment, SUBJECT, data)
        assignment.report_text = "\n".join([data["notes"], "", *pipeline_lines(data)]).strip()
        return ["report_text"]

    def submit_errors(self, assignment) -> list[str]:
        if snapshot_of(assignment, SUBJECT) is None:
            return [str(_("Save the report once so the branch's pipeline is attached."))]
        return []

    def summary(self, assignment) -> str:
        snapshot = snapshot_of(assignment, SUBJECT)
        if snapshot is None:
            return ""
        return str(
            _("%(count)s case(s) on %(date)s")
            % {"count": len(snapshot.data["cases"]), "date": snapshot.taken_on}
        )


register(DevelopmentReportKind())
