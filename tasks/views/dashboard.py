"""Progress pages: the office's notice dashboard, the committee member's liaison view, the list
of notices to watch, and the branch-page panels of tasks (assignments, meetings)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from branches.access import can_edit_organisation, scope_for
from branches.models import MeetingRecord, Organisation, Service
from portal.access import get_in_scope_or_404
from portal.collector import render_releasing_context, without_collector
from tasks.access import keeps_branch, liaison_notices, overview_notices, visible_assignments
from tasks.dashboard import STATES, load_grid, parse_filters
from tasks.dashboard_build import build_dashboard
from tasks.dashboard_html import activity_rows, matrix_rows_html, overdue_rows
from tasks.kinds import get_kind
from tasks.models import NoticeStatus

#: Rows per page: comfortable for 50 branches on one screen, paged beyond.
BRANCHES_PER_PAGE = 100
PANEL_ROWS = 10


@login_required
def dashboard_list(request):
    """The notices whose progress the user may watch, newest first."""
    scope = scope_for(request.user)
    overview = overview_notices(request.user)
    liaison = liaison_notices(request.user)
    if not (scope.is_office or scope.is_regional_viewer or scope.is_committee_member):
        raise Http404
    notices = (overview | liaison).filter(status=NoticeStatus.PUBLISHED)
    committee = request.GET.get("committee", "")
    if committee:
        if committee.isdigit():
            notices = notices.filter(committee_id=int(committee))
        else:
            messages.warning(request, _("The committee filter was not understood and is ignored."))
    notices = (
        notices.select_related("committee")
        .annotate(
            total=Count("areas__items__assignments", filter=Q(areas__items__withdrawn_at=None)),
            done=Count(
                "areas__items__assignments",
                filter=Q(
                    areas__items__withdrawn_at=None,
                    areas__items__assignments__status__in=["submitted", "approved"],
                ),
            ),
        )
        .order_by("-year", "-issue_number", "committee__path")
    )
    overview_ids = set(overview.values_list("pk", flat=True))
    page = Paginator(notices, 25).get_page(request.GET.get("page"))
    for notice in page:
        notice.pct = round(100 * notice.done / notice.total) if notice.total else None
        notice.full_view = notice.pk in overview_ids
    return render(
        request,
        "tasks/dashboard/list.html",
        {"page": page, "is_committee_member": scope.is_committee_member},
    )


@login_required
@without_collector
def notice_dashboard(request, pk: int):
    """The whole matrix of a notice, for its office and the regional viewers above it."""
    notice = get_in_scope_or_404(overview_notices(request.user).select_related("committee"), pk=pk)
    scope = scope_for(request.user)
    context = _dashboard_context(request, notice, branch_ids=None, urge=scope.is_office)
    context["can_export"] = scope.is_office or scope.is_regional_viewer
    return render_releasing_context(request, "tasks/dashboard/notice.html", context)


@login_required
@without_collector
def liaison_dashboard(request, pk: int):
    """The same matrix limited to the committee member's liaison branches, with escalations."""
    scope = scope_for(request.user)
    notice = get_in_scope_or_404(liaison_notices(request.user).select_related("committee"), pk=pk)
    context = _dashboard_context(request, notice, branch_ids=scope.liaison_ids)
    context["liaison_view"] = True
    # The escalations: what of his branches is overdue (the office escalates exactly these).
    context["escalations"] = context["dashboard"].overdue
    return render_releasing_context(request, "tasks/dashboard/notice.html", context)


def _urge_items(grid) -> list:
    """The items some branch still owes, with that number, for the office's "urge all missing"
    buttons; counted from the cells already loaded, so the dashboard's queries stay fixed."""
    missing = grid.owed_per_item()
    items = [item for item in grid.items if missing[item.id]]
    for item in items:
        item.missing_count = missing[item.id]
    # Items without a fixed deadline come last.
    return sorted(
        items,
        key=lambda item: (item.deadline is None, item.deadline, item.area.number, item.pk),
    )


def _dashboard_context(request, notice, *, branch_ids, urge: bool = False) -> dict:
    grid = load_grid(notice, branch_ids=branch_ids)
    filters = parse_filters(request.GET, grid)
    if filters.ignored:
        messages.warning(
            request,
            _("Unknown filter values were ignored: %(values)s.")
            % {"values": "; ".join(filters.ignored)},
        )
    dashboard = build_dashboard(grid, filters)
    page = Paginator(dashboard.rows, BRANCHES_PER_PAGE).get_page(request.GET.get("page"))
    # The page's rows are written here, not by the template (tasks.dashboard_html).
    matrix_rows = matrix_rows_html(page.object_list, len(dashboard.columns))
    areas = {}
    for item in grid.items:
        areas.setdefault(item.area.number, f"{item.area.numbering}{item.area.title}")
    kinds = sorted({item.kind for item in grid.items})
    return {
        "notice": notice,
        "dashboard": dashboard,
        "page": page,
        "matrix_rows": matrix_rows,
        # The office's overdue list, the committee member's escalations: the same cells.
        "overdue_rows": overdue_rows(dashboard.overdue),
        "activity_rows": activity_rows(dashboard.activity),
        "filters": filters.as_dict(),
        "area_options": sorted(areas.items()),
        "kind_options": [(key, get_kind(key).label or key) for key in kinds],
        "state_options": STATES,
        "service_options": Service.choices,
        "charts": dashboard.charts,
        "liaison_view": False,
        "escalations": (),
        "urge_items": _urge_items(grid) if urge else [],
    }


# --- panels of the branch page (registered in TasksConfig.ready) -------------------------------
def branch_assignments_panel(request, organisation: Organisation):
    """Every assignment of the branch across notices, newest notice first, for those who read the
    branch; the branch's own keepers have its to-do list instead of a second list of tasks."""
    if not organisation.is_branch or keeps_branch(request.user, organisation):
        return None
    rows = visible_assignments(request.user).for_branch(organisation)
    rows = list(
        rows.with_flags()
        .with_related()
        .order_by("-item__area__notice__date", "-item__area__notice__id", "item__area__number")[
            : PANEL_ROWS * 3 + 1
        ]
    )
    if not rows:
        return None
    return (
        "tasks/dashboard/_branch_assignments_panel.html",
        {"branch": organisation, "assignments": rows[: PANEL_ROWS * 3], "more": len(rows) > 30},
    )


def branch_meetings_panel(request, organisation: Organisation):
    """The branch's latest meeting records, for those who read the branch's work."""
    if not organisation.is_branch:
        return None
    scope = scope_for(request.user)
    editor = can_edit_organisation(request.user, organisation)
    if not (editor or scope.is_committee_member or scope.is_regional_viewer):
        return None
    meetings = list(MeetingRecord.objects.for_branch(organisation)[: PANEL_ROWS + 1])
    return (
        "tasks/dashboard/_branch_meetings_panel.html",
        {
            "branch": organisation,
            "meetings": meetings[:PANEL_ROWS],
            "more": len(meetings) > PANEL_ROWS,
            "can_open_list": editor,
        },
    )
