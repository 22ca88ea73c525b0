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
import gc
import heapq
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation, OrgKind, Service
from tasks.access import liaison_notices, overview_notices  # noqa: F401  (for the dashboard views)
from tasks.models import Assignment, AssignmentStatus, Notice, TaskItem
from tasks.models.notices import DEADLINE_TZ, local_today

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
ACTIVITY_LIMIT = 12


# --- the grid: three queries ---------------------------------------------------------------------
class Cell(NamedTuple):
    """One assignment as the matrix sees it.

    A tuple of plain values on purpose: the garbage collector stops tracking such tuples, so
    20,000 of them do not make every collection walk them (that alone cost ~150 ms).
    """

    id: int
    item_id: int
    branch_id: int
    status: str
    overdue: bool
    late: bool
    due: datetime.date
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
    with _collector_paused():
        cells = {(row[2], row[1]): Cell(*row) for row in rows.order_by()}
    return Grid(notice, branches, items, cells)


@contextmanager
def _collector_paused():
    """Pause the cycle collector while tens of thousands of rows are read.

    The rows hold no reference cycles, but their mere number triggers full collections that
    walk every object of the process: at 20,000 assignments they cost more than the query.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def build_dashboard(grid: Grid, filters: Filters, today: datetime.date | None = None) -> Dashboard:
    """The matrix, completion figures, overdue list, activity and chart data of one grid."""
    today = today or local_today()
    items = [
        item
        for item in grid.items
        if (filters.area is None or item.area.number == filters.area)
        and (not filters.kind or item.kind == filters.kind)
    ]
    columns = [Column(item) for item in items]
    area_headers: list[tuple[int, str, int]] = []
    for item in items:
        if area_headers and area_headers[-1][0] == item.area.number:
            number, title, span = area_headers[-1]
            area_headers[-1] = (number, title, span + 1)
        else:
            area_headers.append((item.area.number, item.area.title, 1))

    branches = [b for b in grid.branches if not filters.service or b.service == filters.service]
    branches.sort(key=lambda b: (b.service != Service.IN_SERVICE, b.group_path, b.path))
    rows: list[Row] = []
    shown: list[Cell] = []
    cells = grid.cells
    wanted = filters.state
    with _collector_paused():
        for branch in branches:
            row_cells = [cells.get((branch.id, item.id)) for item in items]
            if wanted and not any(c is not None and c.matches(wanted) for c in row_cells):
                continue
            row = Row(branch, row_cells)
            present = [c for c in row_cells if c is not None]
            row.total = len(present)
            row.done = sum(1 for c in present if c.status in HANDED_IN)
            shown += present
            if not rows or (rows[-1].branch.service, rows[-1].branch.group_path) != (
                branch.service,
                branch.group_path,
            ):
                row.group_start = True
            rows.append(row)
        # Every figure is counted over the shown cells by Counter (C loops): at 20,000 cells
        # a Python statement per cell and figure costs more than the query.
        states = ["overdue" if c.overdue else c.status for c in shown]
        state_counts = Counter(states)
        state_counts["late"] += sum(1 for c in shown if c.late)
        per_state_item = Counter(zip(states, map(attrgetter("item_id"), shown), strict=True))
        due_days = Counter(map(attrgetter("due"), shown))
        first_submitted = Counter(
            c.first_submitted_at for c in shown if c.first_submitted_at is not None
        )
        per_item = Counter(map(attrgetter("item_id"), shown))
        done_per_item = Counter(c.item_id for c in shown if c.status in HANDED_IN)
        overdue_cells = [c for c in shown if c.overdue]
    for column in columns:
        column.total = per_item[column.item.id]
        column.done = done_per_item[column.item.id]

    by_item = {item.id: item for item in items}
    by_branch = {b.id: b for b in branches}
    overdue_cells.sort(key=lambda c: (c.due, c.branch_id))
    overdue = [
        (c, by_branch[c.branch_id], by_item[c.item_id]) for c in overdue_cells[:OVERDUE_LIST_LIMIT]
    ]
    total = len(shown)
    done = sum(column.done for column in columns)
    return Dashboard(
        grid=grid,
        filters=filters,
        columns=columns,
        area_headers=area_headers,
        rows=rows,
        overdue=overdue,
        overdue_count=len(overdue_cells),
        activity=_activity(shown, by_branch, by_item),
        totals={
            "cells": total,
            "done": done,
            "pct": round(100 * done / total) if total else None,
            "branches": len(rows),
            "items": len(columns),
            "states": [(key, label, state_counts.get(key, 0)) for key, label in STATES],
        },
        charts=_charts(items, first_submitted, due_days, per_state_item),
    )


def _activity(cells, by_branch, by_item) -> list[dict]:
    """The latest steps, read from the timestamps the workflow keeps on each assignment."""

    def steps():
        for cell in cells:
            if cell.submitted_at is not None:
                yield (cell.submitted_at, cell.id, "submitted", cell)
            if cell.returned_at is not None:
                yield (cell.returned_at, cell.id, "returned", cell)
            if cell.approved_at is not None:
                yield (cell.approved_at, cell.id, "approved", cell)

    events = [
        (when, verb, cell)
        for when, _id, verb, cell in heapq.nlargest(
            ACTIVITY_LIMIT, steps(), key=lambda e: (e[0], e[1])
        )
    ]
    labels = {
        "submitted": _("submitted"),
        "returned": _("was returned"),
        "approved": _("was approved"),
    }
    return [
        {
            "when": when,
            "verb": verb,
            "label": labels[verb],
            "cell": cell,
            "branch": by_branch[cell.branch_id],
            "item": by_item[cell.item_id],
        }
        for when, verb, cell in events
    ]


def _charts(items, first_submitted: Counter, due_days: Counter, per_state_item: Counter) -> dict:
    """Chart data: hand-ins over time against the deadlines, and states per area."""
    submitted_per_day: Counter = Counter()
    for when, count in first_submitted.items():
        submitted_per_day[when.astimezone(DEADLINE_TZ).date()] += count
    due_per_day = due_days
    days = sorted(set(submitted_per_day) | set(due_per_day))
    cumulative, running = [], 0
    for day in days:
        running += submitted_per_day[day]
        cumulative.append(running)
    area_titles = {}
    for item in items:
        area_titles.setdefault(item.area.number, f"{item.area.number}. {item.area.title}"[:24])
    item_area = {item.id: item.area.number for item in items}
    per_area: dict[str, Counter] = defaultdict(Counter)
    for (state, item_id), count in per_state_item.items():
        per_area[state][item_area[item_id]] += count
    area_numbers = sorted(area_titles)
    return {
        "timeline": {
            "labels": [d.isoformat() for d in days],
            "handed_in": cumulative,
            "due": [due_per_day[d] for d in days],
            "handed_in_label": str(_("Handed in (cumulative)")),
            "due_label": str(_("Assignments due that day")),
        },
        "areas": {
            "labels": [area_titles[n] for n in area_numbers],
            "datasets": [
                {
                    "key": key,
                    "label": str(label),
                    "data": [per_area[key][n] for n in area_numbers],
                }
                for key, label in STATES
                if key != "late"
            ],
        },
    }
