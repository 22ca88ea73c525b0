"""The read side of a notice's progress: the branch × task item matrix and what is built on it.

Everything is assembled in Python from a fixed number of queries, whatever the number of
branches (DESIGN §5.8):

    1. the organisations of the notice's committee (general branches and branches)
    2. the task items of the notice with their areas
    3. the assignments of the notice, only the columns the matrix needs, with the derived
       overdue / late flags of ``AssignmentQuerySet.with_flags`` (the one home of that rule)

The office dashboard, the committee member's view and the workbook's summary sheet read from
here; the region roll-up (``tasks.rollup``) counts in the database instead.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation, OrgKind, Service
from tasks.dashboard_figures import activity, charts
from tasks.models import Assignment, AssignmentStatus, Notice, TaskItem

S = AssignmentStatus

#: The states a cell can show, in legend order. ``overdue`` and ``late`` are derived.
STATES = (
    (S.PENDING.value, gettext_lazy("Not started")),
    (S.DRAFT.value, gettext_lazy("Draft")),
    (S.SUBMITTED.value, gettext_lazy("Submitted")),
    (S.RETURNED.value, gettext_lazy("Returned")),
    (S.APPROVED.value, gettext_lazy("Approved")),
    ("overdue", gettext_lazy("Overdue")),
    ("late", gettext_lazy("Late")),
)
STATE_KEYS = tuple(key for key, _label in STATES)
STATE_LABELS = dict(STATES)
#: A sign inside each cell, so the matrix reads without colour too (print, colour blindness).
GLYPHS = {
    "pending": "·",
    "draft": "✎",
    "submitted": "↑",
    "returned": "↩",
    "approved": "✓",
    "overdue": "!",
}
#: The branch has done its part once it has handed the work in.
HANDED_IN = (S.SUBMITTED.value, S.APPROVED.value)
SERVICE_KEYS = tuple(Service.values)

OVERDUE_LIST_LIMIT = 50


# --- the grid: three queries ---------------------------------------------------------------------
class Cell(NamedTuple):
    """One assignment as the matrix sees it: a tuple of plain values, small and quick to build.

    The cycle collector tracks it all the same (it stops tracking exact tuples of untracked
    values only, not subclasses): a 20,000-cell grid is promoted into the oldest generation
    and the full collections it brings cost a large part of the dashboard's CPU time.
    """

    id: int
    item_id: int
    branch_id: int
    status: str
    overdue: bool
    late: bool
    due: datetime.date | None
    submitted_at: datetime.datetime | None
    first_submitted_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    approved_at: datetime.datetime | None

    @property
    def state(self) -> str:
        """The colour of the cell: overdue wins over the stored status."""
        return "overdue" if self.overdue else self.status

    @property
    def glyph(self) -> str:
        return GLYPHS.get(self.state, "?")

    @property
    def state_label(self) -> str:
        label = str(STATE_LABELS.get(self.state, self.state))
        if self.late:
            label += " · " + str(STATE_LABELS["late"])
        return label

    def matches(self, state: str) -> bool:
        if state == "late":
            return self.late
        return self.state == state

    @property
    def handed_in(self) -> bool:
        return self.status in HANDED_IN


@dataclass(slots=True)
class BranchInfo:
    id: int
    name: str
    path: str
    service: str
    group_path: str
    group_name: str

    @property
    def service_label(self) -> str:
        return str(Service(self.service).label)


@dataclass
class Grid:
    notice: Notice
    branches: list[BranchInfo]
    items: list[TaskItem]
    cells: dict[tuple[int, int], Cell]  # (branch id, item id) → cell


def load_grid(notice: Notice, *, branch_ids=None) -> Grid:
    """Branches (all of the committee, or only ``branch_ids``), items and cells of a notice."""
    orgs = (
        Organisation.objects.within(notice.committee)
        .filter(kind__in=[OrgKind.GENERAL_BRANCH, OrgKind.BRANCH], is_active=True)
        .order_by("path")
        .values_list("id", "name", "short_name", "path", "kind", "service")
    )
    general: dict[str, str] = {}
    branches: list[BranchInfo] = []
    wanted = None if branch_ids is None else set(branch_ids)
    for pk, name, short_name, path, kind, service in orgs:
        if kind == OrgKind.GENERAL_BRANCH:
            general[path] = short_name or name
            continue
        if wanted is not None and pk not in wanted:
            continue
        # Ordered by path, so a general branch is always seen before its branches.
        group = next((p for p in general if path.startswith(p)), "")
        branches.append(
            BranchInfo(pk, short_name or name, path, service, group, general.get(group, ""))
        )
    items = list(
        TaskItem.objects.filter(area__notice=notice, withdrawn_at__isnull=True)
        .select_related("area")
        .order_by("area__number", "label", "id")
    )
    # The items are known: filtering on their ids spares the join up to the notice.
    rows = Assignment.objects.filter(item_id__in=[item.id for item in items])
    if wanted is not None:
        rows = rows.filter(branch_id__in=sorted(wanted))
    rows = rows.with_flags().values_list(
        "id",
        "item_id",
        "branch_id",
        "status",
        "is_overdue_db",
        "is_late_db",
        "effective_due",
        "submitted_at",
        "first_submitted_at",
        "returned_at",
        "approved_at",
    )
    cells = {(row[2], row[1]): Cell(*row) for row in rows.order_by()}
    return Grid(notice, branches, items, cells)


# --- filters -------------------------------------------------------------------------------------
@dataclass
class Filters:
    area: int | None = None
    kind: str = ""
    state: str = ""
    service: str = ""
    ignored: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "area": self.area or "",
            "kind": self.kind,
            "status": self.state,
            "service": self.service,
        }


def parse_filters(params, grid: Grid) -> Filters:
    """Known values are applied; anything else is listed in ``ignored`` (never an error)."""
    filters = Filters()
    areas = {item.area.number for item in grid.items}
    kinds = {item.kind for item in grid.items}
    raw_area = (params.get("area") or "").strip()
    if raw_area:
        if raw_area.isdigit() and int(raw_area) in areas:
            filters.area = int(raw_area)
        else:
            filters.ignored.append(_("area “%(value)s”") % {"value": raw_area[:30]})
    for name, allowed, attr in (
        ("kind", kinds, "kind"),
        ("status", set(STATE_KEYS), "state"),
        ("service", set(SERVICE_KEYS), "service"),
    ):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        if raw in allowed:
            setattr(filters, attr, raw)
        else:
            filters.ignored.append(_("%(name)s “%(value)s”") % {"name": name, "value": raw[:30]})
    return filters


# --- the dashboard -------------------------------------------------------------------------------
@dataclass
class Column:
    item: TaskItem
    total: int = 0
    done: int = 0

    @property
    def pct(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass
class Row:
    branch: BranchInfo
    cells: list  # Cell or None, aligned with the columns
    total: int = 0
    done: int = 0
    group_start: bool = False

    @property
    def pct(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass
class Dashboard:
    grid: Grid
    filters: Filters
    columns: list[Column]
    area_headers: list[tuple[int, str, int]]  # (number, title, span)
    rows: list[Row]
    overdue: list[tuple[Cell, BranchInfo, TaskItem]]
    overdue_count: int
    activity: list[dict]
    totals: dict
    charts: dict


def build_dashboard(grid: Grid, filters: Filters) -> Dashboard:
    """The matrix, completion figures, overdue list, activity and chart data of one grid."""
    items = [
        item
        for item in grid.items
        if (filters.area is None or item.area.number == filters.area)
        and (not filters.kind or item.kind == filters.kind)
    ]
    branches = [b for b in grid.branches if not filters.service or b.service == filters.service]
    branches.sort(key=lambda b: (b.service != Service.IN_SERVICE, b.group_path, b.path))
    rows, shown = _matrix_rows(branches, items, grid.cells, filters.state)
    tally = _tally(shown)
    columns = [
        Column(item, tally.per_item[item.id], tally.done_per_item[item.id]) for item in items
    ]
    by_item = {item.id: item for item in items}
    by_branch = {b.id: b for b in branches}
    overdue = sorted(tally.overdue, key=lambda c: (c.due, c.branch_id))
    done = sum(column.done for column in columns)
    return Dashboard(
        grid=grid,
        filters=filters,
        columns=columns,
        area_headers=_area_headers(items),
        rows=rows,
        overdue=[
            (c, by_branch[c.branch_id], by_item[c.item_id]) for c in overdue[:OVERDUE_LIST_LIMIT]
        ],
        overdue_count=len(overdue),
        activity=activity(shown, by_branch, by_item),
        totals={
            "cells": len(shown),
            "done": done,
            "pct": round(100 * done / len(shown)) if shown else None,
            "branches": len(rows),
            "items": len(columns),
            "states": [(key, label, tally.states.get(key, 0)) for key, label in STATES],
        },
        charts=charts(items, tally.first_submitted, tally.due_days, tally.per_state_item, STATES),
    )


def _area_headers(items: list[TaskItem]) -> list[tuple[int, str, int]]:
    """One header per run of items of the same area: (number, title, span)."""
    headers: list[tuple[int, str, int]] = []
    for item in items:
        if headers and headers[-1][0] == item.area.number:
            number, title, span = headers[-1]
            headers[-1] = (number, title, span + 1)
        else:
            headers.append((item.area.number, item.area.title, 1))
    return headers


def _matrix_rows(
    branches: list[BranchInfo],
    items: list[TaskItem],
    cells: dict[tuple[int, int], Cell],
    wanted: str,
) -> tuple[list[Row], list[Cell]]:
    """The rows of the matrix (a branch is left out when no cell of it is in the ``wanted``
    state) and every cell they show."""
    rows: list[Row] = []
    shown: list[Cell] = []
    for branch in branches:
        row_cells = [cells.get((branch.id, item.id)) for item in items]
        if wanted and not any(c is not None and c.matches(wanted) for c in row_cells):
            continue
        present = [c for c in row_cells if c is not None]
        row = Row(branch, row_cells, len(present), sum(1 for c in present if c.handed_in))
        previous = rows[-1].branch if rows else None
        row.group_start = previous is None or (previous.service, previous.group_path) != (
            branch.service,
            branch.group_path,
        )
        shown += present
        rows.append(row)
    return rows, shown


def matrix_cells_html(cells: list) -> SafeString:
    """The ``<td>`` of one matrix row: a link per cell (state as class, label as title, glyph)
    and an empty cell where the branch is not required to do the item."""
    # One reverse() for the row, not one per cell: the assignment's id is its only argument.
    marker = 999_999_999
    prefix, suffix = reverse("tasks:assignment_detail", args=[marker]).split(str(marker))
    titles: dict[tuple[str, bool], str] = {}
    not_required = escape(_("Not required"))
    none = f'<td><span class="cell none" title="{not_required}"></span></td>'
    parts = []
    for cell in cells:
        if cell is None:
            parts.append(none)
            continue
        state = "overdue" if cell.overdue else cell.status
        key = (state, cell.late)
        title = titles.get(key)
        if title is None:
            title = titles[key] = escape(cell.state_label)
        late = " late" if cell.late else ""
        parts.append(
            f'<td><a class="cell st-{escape(state)}{late}" href="{prefix}{cell.id}{suffix}" '
            f'title="{title}" data-state="{escape(state)}">{GLYPHS.get(state, "?")}</a></td>'
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped or an int)


@dataclass
class Tally:
    """The shown cells counted by state, item and day, for the totals and the charts."""

    states: Counter  # state → cells; "late" counted beside the state it qualifies
    per_state_item: Counter  # (state, item id) → cells
    due_days: Counter  # due date → cells
    first_submitted: Counter  # time of the first hand-in → cells
    per_item: Counter  # item id → cells
    done_per_item: Counter  # item id → cells handed in
    overdue: list[Cell]


def _tally(shown: list[Cell]) -> Tally:
    # Every figure is counted by Counter (C loops): at 20,000 cells a Python statement per cell
    # and figure costs more than the query.
    states = ["overdue" if c.overdue else c.status for c in shown]
    state_counts = Counter(states)
    state_counts["late"] += sum(1 for c in shown if c.late)
    return Tally(
        states=state_counts,
        per_state_item=Counter(zip(states, map(attrgetter("item_id"), shown), strict=True)),
        # Cells without a fixed deadline have no day on the timeline.
        due_days=Counter(c.due for c in shown if c.due is not None),
        first_submitted=Counter(
            c.first_submitted_at for c in shown if c.first_submitted_at is not None
        ),
        per_item=Counter(map(attrgetter("item_id"), shown)),
        done_per_item=Counter(c.item_id for c in shown if c.status in HANDED_IN),
        overdue=[c for c in shown if c.overdue],
    )
