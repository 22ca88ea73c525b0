"""``relation_report``: the branch's open membership-relation cases (area 7 of the 2022 notice),
or "none found, checked on <date>", kept as they were when saved."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.services.relations import cases_snapshot
from tasks.kinds import DeliverableKind, register
from tasks.kinds.development_report import SnapshotNotesForm, snapshot_of, store_snapshot
from tasks.models import local_today

SUBJECT = "relations"


def case_lines(data: dict) -> list[str]:
    if not data["cases"]:
        return [
            _("No lost-contact, pocket, mobile or abroad member found, checked on %(date)s.")
            % {"date": data["taken_on"]}
        ]
    lines = [_("Open relation cases on %(date)s:") % {"date": data["taken_on"]}]
    for row in data["cases"]:
        extra = "；".join(row["flags"])
        lines.append(
            _("%(person)s — %(kind)s; last contact %(contact)s; disposition %(disposition)s")
            % {
                "person": row["person"],
                "kind": row["kind"],
                "contact": row["last_contact_on"] or "—",
                "disposition": row["disposition"] or "—",
            }
            + (f" ({extra})" if extra else "")
        )
    return lines


class RelationReportKind(DeliverableKind):
    key = "relation_report"
    label = gettext_lazy("Membership-relation report")

    def form(self, assignment, *, data=None, files=None):
        snapshot = snapshot_of(assignment, SUBJECT)
        return SnapshotNotesForm(
            data=data, initial={"notes": snapshot.data.get("notes", "") if snapshot else ""}
        )

    def apply(self, form, assignment, user) -> list[str]:
        data = cases_snapshot(assignment.branch, local_today())
        data["notes"] = form.cleaned_data["notes"]
        store_snapshot(assignment, SUBJECT, data)
        assignment.report_text = "\n".join([data["notes"], "", *case_lines(data)]).strip()
        return ["report_text"]

    def submit_errors(self, assignment) -> list[str]:
        if snapshot_of(assignment, SUBJECT) is None:
            return [str(_("Save the report once so the branch's cases are attached."))]
        return []

    def summary(self, assignment) -> str:
        snapshot = snapshot_of(assignment, SUBJECT)
        if snapshot is None:
            return ""
        count = len(snapshot.data["cases"])
        if not count:
            return str(_("None found, checked on %(date)s") % {"date": snapshot.taken_on})
        return str(_("%(count)s case(s) on %(date)s") % {"count": count, "date": snapshot.taken_on})


register(RelationReportKind())
