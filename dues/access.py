"""Who may see and write which dues — built on ``branches.access``; outside it is a 404.

* A branch's editors (its secretary, deputy, organisation member, and the office above it)
  write its dues and read them in full.
* The committee's other readers (committee members, regional viewers) read the branch's dues
  page with every member's amounts masked: a base tells a salary.
* The office reads its committee's report and statement.
* A member reads his own dues on his profile.
"""

from __future__ import annotations

from django.http import Http404

from branches.access import (
    can_read_branch_life,
    can_see_contact_details,
    editable_branch,
    editable_organisations,
    readable_branch,
    scope_for,
)
from branches.models import Organisation, OrgKind, Person
from dues.models import Payment
from portal.access import get_in_scope_or_404


def readable_dues_branch(user, pk) -> tuple[Organisation, bool]:
    """The branch and whether the user sees the members' amounts unmasked."""
    branch = readable_branch(user, pk)
    return branch, can_see_personal_dues(user, branch)


def can_read_dues_of(user, organisation: Organisation) -> bool:
    """For a branch already found in the user's scope: does he read its dues page?"""
    return organisation.is_branch and can_read_branch_life(user, organisation)


def can_see_personal_dues(user, branch: Organisation) -> bool:
    """Amounts per member are shown as phone numbers are: in full to those who run the branch."""
    return can_see_contact_details(user, branch)


def editable_dues_branch(user, pk) -> Organisation:
    return editable_branch(user, pk)


def editable_member(user, pk) -> Person:
    """A person of a branch whose dues the user writes."""
    return get_in_scope_or_404(
        Person.objects.filter(branch__in=editable_organisations(user).branches()).select_related(
            "branch"
        ),
        pk=pk,
    )


def editable_payment(user, pk) -> Payment:
    """A payment recorded for a member of a branch whose dues the user writes."""
    return get_in_scope_or_404(
        Payment.objects.filter(branch__in=editable_organisations(user).branches()).select_related(
            "person"
        ),
        pk=pk,
    )


def office_committee(user, pk) -> Organisation:
    """A committee in the office's scope; anyone else gets a 404."""
    if not scope_for(user).is_office:
        raise Http404
    return get_in_scope_or_404(editable_organisations(user).filter(kind=OrgKind.COMMITTEE), pk=pk)


def office_committees(user):
    if not scope_for(user).is_office:
        return Organisation.objects.none()
    return editable_organisations(user).filter(kind=OrgKind.COMMITTEE)


def own_person(user) -> Person | None:
    """The person record of the user (his own dues), if any."""
    return scope_for(user).person
