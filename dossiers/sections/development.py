"""六、Member development: each case with its steps and dates."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.data import DossierData
from dossiers.document import DossierDocument
from dossiers.sections.base import Section


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    if not data.development:
        doc.none(_("No development case is open or had a step in %(year)s.") % {"year": data.year})
        return
    doc.table(
        [_("Name"), _("Stage"), _("Status"), _("Last step"), _("On")],
        [
            (
                case.person.name,
                case.get_stage_display(),
                case.get_status_display(),
                case.last_step.name if case.last_step else "",
                case.last_step_on,
            )
            for case in data.development
        ],
        (28, 30, 22, 46, 30),
    )
    for case in data.development:
        doc.heading(f"{case.person.name} · {case.get_stage_display()}", 3)
        steps = list(case.steps.all())
        if not steps:
            doc.none(_("No step recorded."))
            continue
        doc.table(
            [_("Step"), _("Date"), _("Done by"), _("Introducers or contacts"), _("Note")],
            [
                (
                    step.step.name,
                    step.date,
                    step.actor,
                    "、".join(p.name for p in step.people.all()),
                    step.note,
                )
                for step in steps
            ],
            (44, 28, 24, 30, 30),
        )
        if case.stop_reason:
            doc.paragraph(_("Reason for stopping: %(reason)s") % {"reason": case.stop_reason})


SECTION = Section("development", gettext_lazy("Member development"), write)
