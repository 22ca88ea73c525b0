"""The cover and the contents."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dossiers.data import DossierData
from dossiers.document import DossierDocument, text_of


def write(doc: DossierDocument, data: DossierData, headings: list[str]) -> None:
    for _blank in range(4):
        doc.paragraph()
    committee = data.committee
    if committee is not None:
        doc.paragraph(committee.name, center=True, size=16)
    doc.title(data.branch.name)
    doc.title(_("Party branch work dossier %(year)s") % {"year": data.year})
    for _blank in range(8):
        doc.paragraph()
    doc.paragraph(_("Compiled on %(date)s") % {"date": text_of(data.today)}, center=True)
    doc.page_break()
    doc.heading(_("Contents"), 1)
    for heading in headings:
        doc.paragraph(heading)
    doc.page_break()
