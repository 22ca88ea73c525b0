"""八、Party dues: each member's year (base, due, paid, arrears) and the branch's totals."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.data import DossierData
from dossiers.document import DossierDocument
from dossiers.sections.base import Section
from dues.reports import member_year_rows, totals_of


def _yuan(value) -> str:
    return "" if value is None else f"{value:.2f}"


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    rows = member_year_rows(data.branch, data.year, data.today)
    if not any(row.has_base or row.paid for row in rows):
        doc.none(_("No Party dues were recorded for %(year)s.") % {"year": data.year})
        return
    totals = totals_of(rows, data.year)
    doc.pairs(
        [
            (_("Due in the year"), _yuan(totals.due)),
            (_("Paid"), _yuan(totals.paid)),
            (_("Arrears"), _yuan(totals.arrears)),
            (_("Voluntary extra"), _yuan(totals.extra)),
            (_("Members in arrears"), totals.members_in_arrears),
        ]
    )
    doc.table(
        [
            _("Name"),
            _("Category"),
            _("Monthly base"),
            _("Due"),
            _("Paid"),
            _("Arrears"),
            _("Months paid"),
        ],
        [
            (
                row.person.name,
                row.category_label,
                _yuan(row.monthly_base),
                _yuan(row.due),
                _yuan(row.paid),
                _yuan(row.arrears),
                row.months_paid,
            )
            for row in rows
        ],
        (26, 24, 22, 21, 21, 21, 21),
    )


SECTION = Section("dues", gettext_lazy("Party dues"), write)
