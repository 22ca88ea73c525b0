"""九、The star self-assessment (四强·星级自评表) and the star the committee published."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.data import DossierData
from dossiers.document import DossierDocument
from dossiers.sections.base import Section


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    doc.heading(_("Self-assessment"), 2)
    if not data.self_assessments:
        doc.none(_("No star self-assessment is recorded for %(year)s.") % {"year": data.year})
    for sheet in data.self_assessments:
        answers = list(sheet.answers.all())
        doc.pairs(
            [
                (_("Secretary"), sheet.secretary),
                (_("Committee members"), sheet.committee_members),
                (_("Full members"), sheet.full_members),
                (_("Probationary members"), sheet.probationary_members),
                (_("Indicators met"), f"{sheet.yes_count}/{len(answers)}"),
                (_("Self-assessed star"), sheet.self_star),
                (_("Main gaps and measures"), sheet.gaps),
                (_("Committee meeting date"), sheet.meeting_date),
            ]
        )
        if answers:
            doc.table(
                [_("No."), _("Dimension"), _("Indicator"), _("Yes/no"), _("Evidence")],
                [
                    (
                        a.indicator.number,
                        a.indicator.get_dimension_display(),
                        a.indicator.text,
                        a.get_answer_display(),
                        a.evidence,
                    )
                    for a in answers
                ],
                (12, 28, 62, 16, 38),
            )
    doc.heading(_("The committee's star"), 2)
    if not data.decisions:
        doc.none(_("No star has been published for %(year)s.") % {"year": data.year})
        return
    for decision in data.decisions:
        doc.pairs(
            [
                (_("Star"), _("%(star)s stars") % {"star": decision.star}),
                (_("Rationale"), decision.rationale),
                (_("Published on"), decision.round.published_at),
            ]
        )


SECTION = Section("stars", gettext_lazy("Star self-assessment and the published star"), write)
