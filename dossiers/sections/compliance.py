"""三、三会一课 compliance: each rule's periods, met or not (computed, as on the portal)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.data import DossierData
from dossiers.document import DossierDocument
from dossiers.sections.base import Section


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    summary = data.compliance
    states = {
        "met": _("met"),
        "gap": _("missed"),
        "open": _("running"),
        "not_due": _("not due"),
    }
    doc.paragraph(
        _("Periods due: %(due)s; met: %(met)s; missed: %(gaps)s.")
        % {"due": summary["due"], "met": summary["met"], "gaps": len(summary["gaps"])}
    )
    rows = []
    for rule in summary["rules"]:
        cells = [
            f"{period['label']}: {period['count']}/{rule['minimum']} {states[period['state']]}"
            for period in rule["periods"]
        ]
        rows.append((rule["label"], "；".join(cells)))
    if not rows:
        doc.none(_("No meeting frequency rule applies to this branch."))
        return
    doc.table([_("Meeting type"), _("Held / required per period")], rows, (45, 111))
    if summary["gaps"]:
        doc.paragraph(_("Missed: %(gaps)s") % {"gaps": "、".join(summary["gaps"])})


SECTION = Section("compliance", gettext_lazy("Compliance with the 三会一课 rules"), write)
