"""Who may see and edit which organisations and people — the one place that answers it.

Views call these helpers, templates ask them through the navigation context, tests cover them.
Scopes are subtrees of the organisation tree, selected with one query on the stored path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.http import Http404

from branches.models import (
    BRANCH_EDITOR_ROLES,
    Organisation,
    OrganisationQuerySet,
    Person,
    Role,
    RoleKind,
)
from portal.access import get_in_scope_or_404

_CACHE_ATTR = "_portal_scope"


@dataclass(frozen=True)
class Scope:
    """The organisations a user reaches, as subtree roots (stored paths)."""

    view_paths: tuple[str, ...] = ()
    edit_paths: tuple[str, ...] = ()
    role_kinds: frozenset[str] = field(default_factory=frozenset)
    branch_ids: tuple[int, ...] = ()  # branches the user runs as secretary/deputy/organiser
    person: Person | None = None
    is_superuser: bool = False

    @cached_property
    def liaison_ids(self) -> tuple[int, ...]:
        """The branches the person liaises for the committee: asked for on the pages that use
        them only (the scope is computed on every page)."""
        if self.person is None:
            return ()
        liaisons = Organisation.objects.filter(liaison_members=self.person)
        return tuple(liaisons.values_list("id", flat=True))

    def has(self, kind: str) -> bool:
        return (self.is_superuser and kind == RoleKind.OFFICE) or kind in self.role_kinds

    @property
    def is_office(self) -> bool:
        return self.has(RoleKind.OFFICE)

    @property
    def is_committee_member(self) -> bool:
        return self.has(RoleKind.COMMITTEE_MEMBER)

    @property
    def is_regional_viewer(self) -> bool:
        return self.has(RoleKind.REGIONAL_VIEWER)

    @property
    def is_branch_editor(self) -> bool:
        return bool(self.branch_ids)

    @property
    def reads_across_branches(self) -> bool:
        """Office staff, committee members and regional viewers read every branch of their
        subtree; the other roles only their own branch (or themselves)."""
        return self.is_office or self.is_committee_member or self.is_regional_viewer


def scope_for(user: User | AnonymousUser) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    if user.is_authenticated:
        setattr(user, _CACHE_ATTR, scope)
    return scope


def _compute_scope(user) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        roots = tuple(Organisation.objects.get_root_nodes().values_list("path", flat=True))
        person = Person.objects.filter(user=user).first()
        return Scope(roots, roots, frozenset(), (), person, True)
    # The person comes with the roles in one query; only a person without roles needs another.
    roles = list(Role.objects.filter(person__user=user).select_related("person", "organisation"))
    person = roles[0].person if roles else Person.objects.filter(user=user).first()
    if person is None:
        return Scope()
    view, edit, kinds, branch_ids = set(), set(), set(), []
    for role in roles:
        kinds.add(role.kind)
        path = role.organisation.path
        if role.kind == RoleKind.OFFICE:
            view.add(path)
            edit.add(path)
        elif role.kind in (RoleKind.REGIONAL_VIEWER, RoleKind.COMMITTEE_MEMBER):
            # Committee members read every branch of their committee: they rate them all.
            view.add(path)
        elif role.kind in BRANCH_EDITOR_ROLES:
            view.add(path)
            edit.add(path)
            branch_ids.append(role.organisation_id)
        elif role.kind == RoleKind.MEMBER:
            view.add(path)
    return Scope(
        view_paths=_roots_only(view),
        edit_paths=_roots_only(edit),
        role_kinds=frozenset(kinds),
        branch_ids=tuple(sorted(set(branch_ids))),
        person=person,
    )


def _roots_only(paths: set[str]) -> tuple[str, ...]:
    """Drop paths inside other paths of the set so the subtree filter stays short."""
    ordered = sorted(paths)
    kept: list[str] = []
    for path in ordered:
        if not any(path.startswith(root) for root in kept):
            kept.append(path)
    return tuple(kept)


def visible_organisations(user) -> OrganisationQuerySet:
    return Organisation.objects.within_paths(scope_for(user).view_paths)


def editable_organisations(user) -> OrganisationQuerySet:
    return Organisation.objects.within_paths(scope_for(user).edit_paths)


def get_organisation_for_user(user, pk, *, edit: bool = False) -> Organisation:
    scope = editable_organisations(user) if edit else visible_organisations(user)
    return get_in_scope_or_404(scope, pk=pk)


def can_edit_organisation(user, organisation: Organisation) -> bool:
    return any(organisation.path.startswith(p) for p in scope_for(user).edit_paths)


def can_see_contact_details(user, organisation: Organisation) -> bool:
    """Phone numbers are shown in full only to those who run the organisation."""
    return can_edit_organisation(user, organisation)


def can_read_branch_life(user, organisation: Organisation) -> bool:
    """Branch-life records (meetings, compliance, development, relations, roster) are read by
    the branch's editors and by the committee's readers (office, committee members, regional
    viewers) — not by plain members."""
    return can_edit_organisation(user, organisation) or scope_for(user).reads_across_branches


def readable_branch(user, pk) -> Organisation:
    """A branch whose branch-life records the user may read; anything else is a 404."""
    branch = get_organisation_for_user(user, pk)
    if not branch.is_branch or not can_read_branch_life(user, branch):
        raise Http404
    return branch


def editable_branch(user, pk) -> Organisation:
    """A branch whose branch-life records the user may write; anything else is a 404."""
    branch = get_organisation_for_user(user, pk, edit=True)
    if not branch.is_branch:
        raise Http404
    return branch


def readable_branches(user) -> QuerySet[Organisation]:
    """Branches whose branch-life records the user reads (plain members: none)."""
    readers = scope_for(user).reads_across_branches
    orgs = visible_organisations(user) if readers else editable_organisations(user)
    return orgs.branches()


def visible_people(user) -> QuerySet[Person]:
    scope = scope_for(user)
    if scope.role_kinds <= {RoleKind.MEMBER} and not scope.is_superuser:
        # A plain member sees only himself.
        return Person.objects.filter(pk=scope.person.pk) if scope.person else Person.objects.none()
    return Person.objects.filter(branch__in=visible_organisations(user))


def liaison_branches(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(id__in=scope_for(user).liaison_ids)


def two_factor_required_for(user) -> bool:
    """Office staff and administrators must use two-factor login in production."""
    return user.is_staff or user.is_superuser or scope_for(user).is_office


def home_url_name(user) -> tuple[str, tuple]:
    """Where each role lands after login, by priority of the roles the user holds."""
    scope = scope_for(user)
    if scope.is_office:
        return "branches:office_overview", ()
    if scope.is_regional_viewer:
        return "branches:region_tree", ()
    if scope.is_committee_member:
        return "branches:liaison_branches", ()
    if scope.branch_ids:
        return "branches:organisation_detail", (scope.branch_ids[0],)
    return "branches:my_profile", ()


__all__ = [
    "Scope",
    "can_edit_organisation",
    "can_read_branch_life",
    "can_see_contact_details",
    "editable_branch",
    "editable_organisations",
    "get_organisation_for_user",
    "home_url_name",
    "liaison_branches",
    "lockouts_in_scope",
    "readable_branch",
    "readable_branches",
    "scope_for",
    "two_factor_required_for",
    "visible_organisations",
    "visible_people",
]


def lockouts_in_scope(user, attempts: QuerySet) -> QuerySet:
    """The login lockouts an office sees and lifts: those of the people of its subtree, and those
    of names no account has (a mistyped or guessed name belongs to no committee). Another
    committee's accounts stay out of reach."""
    organisations = editable_organisations(user)
    own = Person.objects.filter(
        Q(branch__in=organisations) | Q(roles__organisation__in=organisations),
        user__isnull=False,
    ).values("user__username")
    accounts = User.objects.values("username")
    return attempts.filter(
        Q(username__in=own) | Q(username=None) | Q(username="") | ~Q(username__in=accounts)
    )
