"""七、Membership-relation cases (lost contact, pocket members, transfers, abroad)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.data import DossierData
from dossiers.document import DossierDocument
from dossiers.sections.base import Section


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    if not data.relations:
        doc.none(_("No membership-relation case was open in %(year)s.") % {"year": data.year})
        return
    for case in data.relations:
        doc.heading(f"{case.person.name} · {case.get_kind_display()}", 3)
        doc.pairs(
            [
                (_("Opened on"), case.opened_on),
                (_("Last contact"), case.last_contact_on),
                (_("Last organisational life"), case.last_life_on),
                (_("Dues paid up to"), case.dues_paid_until),
                (
                    _("Transfer letter"),
                    " ".join(filter(None, [case.letter_number, case.destination])),
                ),
                (_("Letter valid until"), case.letter_valid_until),
                (_("Receipt back on"), case.receipt_on),
                (_("Disposition"), case.get_disposition_display()),
                (_("Decided on"), case.disposition_on),
                (_("Handler"), case.handler),
                (_("Closed on"), case.closed_on),
            ]
        )
        attempts = list(case.attempts.all())
        if attempts:
            doc.table(
                [_("Date"), _("Method"), _("Result")],
                [(a.date, a.method, a.result) for a in attempts],
                (30, 40, 86),
            )


SECTION = Section("relations", gettext_lazy("Membership relations"), write)
