"""二、The roster of the branch's members."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.data import DossierData
from dossiers.document import DossierDocument
from dossiers.sections.base import Section


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    if not data.people:
        doc.none(_("No member is recorded."))
        return
    doc.table(
        [_("No."), _("Name"), _("Gender"), _("Membership"), _("Joined on"), _("Full member since")],
        [
            (
                number,
                person.name,
                person.get_gender_display(),
                person.get_member_type_display(),
                person.joined_on,
                person.full_member_on,
            )
            for number, person in enumerate(data.people, 1)
        ],
        (12, 30, 14, 30, 35, 35),
    )


SECTION = Section("roster", gettext_lazy("Roster of members"), write)
