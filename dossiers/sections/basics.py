"""一、The branch's basic facts and its committee."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import BRANCH_EDITOR_ROLES, MemberType
from dossiers.data import DossierData
from dossiers.document import DossierDocument
from dossiers.sections.base import Section


def write(doc: DossierDocument, data: DossierData, heading: str) -> None:
    doc.heading(heading, 1)
    branch = data.branch
    full = sum(1 for p in data.people if p.member_type == MemberType.FULL)
    probationary = sum(1 for p in data.people if p.member_type == MemberType.PROBATIONARY)
    general = data.general_branch
    doc.pairs(
        [
            (_("Party branch"), branch.name),
            (_("Party committee"), data.committee.name if data.committee else ""),
            (_("General branch"), general.name if general else ""),
            (_("In service or retired"), branch.get_service_display()),
            (_("Founded on"), branch.founded_on),
            (_("Last election on"), branch.last_election_on),
            (_("Full members"), full),
            (_("Probationary members"), probationary),
            (_("Liaison committee members"), "、".join(p.name for p in data.liaison)),
        ]
    )
    doc.heading(_("Branch committee"), 2)
    committee = [role for role in data.roles if role.kind in BRANCH_EDITOR_ROLES]
    if not committee:
        doc.none(_("No branch committee member is recorded."))
        return
    doc.table(
        [_("Name"), _("Office")],
        [(role.person.name, role.get_kind_display()) for role in committee],
        (60, 96),
    )


SECTION = Section("basics", gettext_lazy("Basic facts and branch committee"), write)
