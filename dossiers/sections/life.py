"""五、The organisational-life meeting (组织生活会) and the member appraisal (民主评议党员)."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import AppraisalGrade, MeetingType
from dossiers.data import DossierData
from dossiers.document import DossierDocument
from dossiers.sections.base import Section
from dossiers.sections.meetings import absences


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    doc.heading(_("Organisational-life meetings"), 2)
    life = [m for m in data.meetings if MeetingType.LIFE_MEETING in m.counted_types]
    if life:
        doc.table(
            [_("Date"), _("Theme"), _("Attended"), _("Absent, with reasons")],
            [(m.date, m.theme, f"{m.present_count}/{m.due_count}", absences(m)) for m in life],
            (30, 56, 20, 50),
        )
    else:
        doc.none(
            _("No organisational-life meeting is recorded for %(year)s.") % {"year": data.year}
        )
    doc.heading(_("Member appraisal"), 2)
    appraisals = [m for m in data.meetings if MeetingType.APPRAISAL in m.counted_types]
    if not appraisals:
        doc.none(_("No member appraisal is recorded for %(year)s.") % {"year": data.year})
        return
    for meeting in appraisals:
        results = list(meeting.appraisal_results.all())
        counts = Counter(r.grade for r in results)
        doc.paragraph(
            f"{meeting.date:%Y-%m-%d} {meeting.theme}："
            + "；".join(
                f"{label} {counts.get(value, 0)}" for value, label in AppraisalGrade.choices
            )
        )
        if results:
            doc.table(
                [_("Member"), _("Grade")],
                [(r.person.name, r.get_grade_display()) for r in results],
                (60, 96),
            )


SECTION = Section("life", gettext_lazy("Organisational-life meeting and member appraisal"), write)
