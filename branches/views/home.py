"""Pages of organisations and people: home by role, office overview, branch page, tree."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from branches.access import (
    can_edit_organisation,
    can_see_contact_details,
    get_organisation_for_user,
    home_url_name,
    liaison_branches,
    scope_for,
    visible_organisations,
)
from branches.home_cards import BRANCH, COMMITTEE, OFFICE, SELF_CHECKS, home_cards
from branches.models import Organisation, OrgKind, Person, Service
from branches.panels import branch_panels, profile_panels

PEOPLE_PER_PAGE = 50
#: A liaison member of a large committee may look after a few hundred branches.
BRANCHES_PER_PAGE = 50
#: Kinds drawn only when their committee is opened on the region tree.
BELOW_COMMITTEE = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.GROUP)


@login_required
def home(request):
    name, args = home_url_name(request.user)
    return redirect(reverse(name, args=args))


@login_required
def office_overview(request):
    scope = scope_for(request.user)
    if not scope.is_office:
        raise Http404
    branches = (
        visible_organisations(request.user)
        .branches()
        .active()
        .with_member_counts()
        .prefetch_related("liaison_members")
    )
    return render(
        request,
        "branches/office_overview.html",
        {
            "cards": home_cards(OFFICE, request),
            "branches": branches,
            "in_service_count": sum(1 for b in branches if b.service == "in_service"),
        },
    )


@login_required
def liaison_branch_list(request):
    scope = scope_for(request.user)
    if not scope.is_committee_member:
        raise Http404
    branches = liaison_branches(request.user).with_member_counts().order_by("path")
    page = Paginator(branches, BRANCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/liaison_branches.html",
        {
            "branches": page,
            "cards": home_cards(COMMITTEE, request),
            # Empty until an app provides the liaison member's self-checks to acknowledge.
            "self_check_cards": home_cards(SELF_CHECKS, request),
        },
    )


#: Figures other apps add to the region roll-up, without branches importing them: callables
#: ``provider(committee_ids) -> {committee id: {"notices": …, "pct": …, "link": …}}``.
REGION_ROLLUPS: list = []
#: The roll-up counts every branch, member and assignment in the reader's scope (180,000
#: assignments in a region): kept this long, the same for every reader of that scope.
REGION_FIGURES_SECONDS = 60


def _region_reader(request):
    scope = scope_for(request.user)
    if not (scope.is_regional_viewer or scope.is_office):
        raise Http404


def _branch_figures(visible, committees) -> dict[int, dict]:
    """Per committee: its branches, those in service and their members. The members are
    counted per branch in the database (one pass over the people, no join) and summed here
    along the branches' stored paths."""
    figures: dict[int, dict] = {
        c.pk: {"branches": 0, "in_service": 0, "members": 0} for c in committees
    }
    branches = visible.branches().active()
    members = dict(
        Person.objects.active()
        .members()
        .filter(branch__in=branches)
        .values("branch_id")
        .annotate(total=Count("*"))  # from the members index alone
        .order_by()
        .values_list("branch_id", "total")
    )
    lengths = sorted({len(c.path) for c in committees})
    by_path = {c.path: figures[c.pk] for c in committees}
    for pk, path, service in branches.values_list("pk", "path", "service"):
        for length in lengths:
            row = by_path.get(path[:length])
            if row is not None:
                row["branches"] += 1
                row["in_service"] += service == Service.IN_SERVICE
                row["members"] += members.get(pk, 0)
                break
    return figures


@login_required
def region_tree(request):
    """The region and its committees with their figures; a committee's subtree is drawn on
    demand (``region_subtree``), since a region of thousands of branches is too long a page."""
    _region_reader(request)
    visible = visible_organisations(request.user).active()
    # The nodes down to the committees: the region above them, the committees themselves.
    tops = list(visible.exclude(kind__in=BELOW_COMMITTEE).with_member_counts().order_by("path"))
    committees = [node for node in tops if node.kind == OrgKind.COMMITTEE]
    figures, counted_at = _region_figures(request.user, visible, committees)
    rollup = [{"committee": c, **figures.get(c.pk, {})} for c in committees]
    return render(
        request,
        "branches/region_tree.html",
        {"nodes": tops, "rollup": rollup, "counted_at": counted_at},
    )


def _region_figures(user, visible, committees) -> tuple[dict[int, dict], datetime]:
    """Each committee's figures (``_branch_figures`` and the other apps' ``REGION_ROLLUPS``)
    and when they were counted: at most ``REGION_FIGURES_SECONDS`` ago. Kept per scope (its
    paths decide what is counted), so every regional viewer shares one count."""
    paths = "|".join(sorted(scope_for(user).view_paths))
    key = "region-figures:" + hashlib.sha256(paths.encode()).hexdigest()
    kept = cache.get(key)
    if kept is not None:
        return kept
    figures = _branch_figures(visible, committees)
    for provider in REGION_ROLLUPS:
        for committee_id, values in provider([c.pk for c in committees]).items():
            figures.setdefault(committee_id, {}).update(values)
    kept = (figures, timezone.now())
    cache.set(key, kept, REGION_FIGURES_SECONDS)
    return kept


@login_required
def region_subtree(request, pk: int):
    """The organisations below one committee (or general branch) of the region tree, as a
    fragment that the tree page loads into the committee's row; a whole page without htmx."""
    _region_reader(request)
    top = get_organisation_for_user(request.user, pk)
    nodes = list(
        Organisation.objects.within(top)
        .filter(is_active=True)
        .exclude(pk=top.pk)
        .with_member_counts()
        .order_by("path")
    )
    for node in nodes:
        node.indent = node.depth - top.depth - 1
    template = "branches/_region_subtree.html" if request.htmx else "branches/region_subtree.html"
    return render(request, template, {"top": top, "nodes": nodes})


@login_required
def organisation_detail(request, pk: int):
    organisation = get_organisation_for_user(request.user, pk)
    scope = scope_for(request.user)
    plain_member = not scope.reads_across_branches
    if plain_member and not can_edit_organisation(request.user, organisation):
        # A plain member reaches only his own page, not his branch's roster.
        raise Http404
    children = (
        Organisation.objects.get_children(organisation).filter(is_active=True).with_member_counts()
    )
    people = (
        organisation.people.active()
        .order_by("member_type", "name")
        .only("name", "gender", "phone", "member_type", "joined_on", "branch_id")
    )
    search = request.GET.get("q", "").strip()[:60]
    if search:
        people = people.filter(name__icontains=search)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/organisation_detail.html",
        {
            "organisation": organisation,
            "ancestors": Organisation.objects.get_ancestors(organisation),
            "children": children,
            "page": page,
            "search": search,
            "show_contacts": can_see_contact_details(request.user, organisation),
            "liaisons": organisation.liaison_members.all(),
            "is_branch": organisation.kind == OrgKind.BRANCH,
            "panels": branch_panels(request, organisation),
            # The secretary's "what needs me now": only on a branch page he keeps.
            "cards": (
                home_cards(BRANCH, request, organisation)
                if organisation.pk in scope.branch_ids
                else []
            ),
        },
    )


@login_required
def my_profile(request):
    scope = scope_for(request.user)
    return render(
        request,
        "branches/my_profile.html",
        {"person": scope.person, "panels": profile_panels(request, scope.person)},
    )
