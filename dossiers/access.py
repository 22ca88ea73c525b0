"""Who may build and download a branch's yearly dossier: the branch's editors, its liaison
committee member(s) and the office of its committee. Anything else is a 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from branches.access import scope_for
from branches.models import Organisation, within_paths_q
from portal.access import get_in_scope_or_404
from tasks.models import Export

#: ``Export.kind`` of the dossier.
DOSSIER = "dossiers.dossier"


def dossier_branches(user) -> QuerySet[Organisation]:
    scope = scope_for(user)
    condition = Q(id__in=scope.branch_ids) | Q(id__in=scope.liaison_ids)
    if scope.is_office:
        condition |= within_paths_q(scope.edit_paths)
    return Organisation.objects.branches().filter(condition)


def dossier_branch(user, pk) -> Organisation:
    return get_in_scope_or_404(dossier_branches(user), pk=pk)


def can_build_dossier(user, branch: Organisation) -> bool:
    """The same rule as ``dossier_branches``, on a branch already loaded (no query)."""
    if not branch.is_branch:
        return False
    scope = scope_for(user)
    if branch.pk in scope.branch_ids or branch.pk in scope.liaison_ids:
        return True
    return scope.is_office and any(branch.path.startswith(p) for p in scope.edit_paths)


def dossier_exports(user) -> QuerySet[Export]:
    return Export.objects.filter(kind=DOSSIER, organisation__in=dossier_branches(user))


def get_dossier_export(user, pk) -> Export:
    return get_in_scope_or_404(dossier_exports(user).select_related("organisation"), pk=pk)
