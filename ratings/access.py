"""Who may see which rating round and rate which branch; outside the scope is a 404.

Builds on ``branches.access`` (organisation scopes and role kinds). A committee member rates
the branches of the committees he sits on, except the branch he belongs to himself.
"""

from __future__ import annotations

from django.http import Http404

from branches.access import editable_organisations, scope_for, visible_organisations
from branches.models import Organisation, OrgKind
from portal.access import get_in_scope_or_404
from ratings.models import IndicatorSet, RatingRound, StarDecision


def require_office(user) -> None:
    if not scope_for(user).is_office:
        raise Http404


def office_rounds(user):
    require_office(user)
    return RatingRound.objects.for_committees(editable_organisations(user))


def get_round_for_office(user, pk) -> RatingRound:
    return get_in_scope_or_404(office_rounds(user).select_related("committee"), pk=pk)


def office_committees(user):
    """The committees whose office the user staffs."""
    require_office(user)
    return editable_organisations(user).filter(kind=OrgKind.COMMITTEE)


def get_committee_for_office(user, pk) -> Organisation:
    """One of the user's office committees (to edit its star goal); else 404."""
    return get_in_scope_or_404(office_committees(user), pk=pk)


def goal_committee_ids(user) -> set[int]:
    """The committees whose star goal the user may edit: his office's, none for others."""
    if not scope_for(user).is_office:
        return set()
    return set(office_committees(user).values_list("pk", flat=True))


def office_indicator_sets(user):
    """The indicator sets of the user's committees: an office edits only its own."""
    return IndicatorSet.objects.filter(committee__in=office_committees(user))


def get_indicator_set_for_office(user, pk) -> IndicatorSet:
    return get_in_scope_or_404(office_indicator_sets(user).select_related("committee"), pk=pk)


def member_rounds(user):
    """Rounds of the committees the user sits on as a committee member."""
    if not scope_for(user).is_committee_member:
        raise Http404
    return RatingRound.objects.for_committees(visible_organisations(user))


def get_round_for_member(user, pk) -> RatingRound:
    return get_in_scope_or_404(member_rounds(user).select_related("committee"), pk=pk)


def may_rate(user, branch) -> bool:
    """A member who belongs to the branch does not rate it."""
    person = scope_for(user).person
    return person is not None and person.branch_id != branch.pk


def get_entry_for_member(user, round_pk, branch_pk) -> StarDecision:
    """The branch's place in the round, for a member who may rate it; else 404."""
    rating_round = get_round_for_member(user, round_pk)
    entry = get_in_scope_or_404(
        rating_round.decisions.select_related("branch", "round__committee"), branch_id=branch_pk
    )
    if not may_rate(user, entry.branch):
        raise Http404
    return entry


def results_viewer(user) -> bool:
    """Office, committee members and regional viewers read the published stars."""
    return scope_for(user).reads_across_branches


def result_committees(user):
    if not results_viewer(user):
        raise Http404
    return visible_organisations(user).filter(kind=OrgKind.COMMITTEE)
