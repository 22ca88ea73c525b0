"""The office dashboard of one notice, built from its grid (``tasks.dashboard``): the rows and
columns of the matrix, the completion figures, the overdue list, the activity and the charts.

A grid holds some 20,000 cells. Every count over them is made by Python's C loops (``Counter``,
``map``, ``filter``, ``zip``) rather than by a Python statement per cell and figure, which at that
size would cost more than the query; what only the page's hundred rows need (a row's share
handed in) is worked out for those rows alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from branches.models import Service
from tasks.dashboard import (
    HANDED_IN,
    STATES,
    BranchInfo,
    Cell,
    Filters,
    Grid,
    day_from_number,
)
from tasks.dashboard_figures import activity, charts
from tasks.models import TaskItem

OVERDUE_LIST_LIMIT = 50

_state = attrgetter("state")


@dataclass
class Column:
    item: TaskItem
    total: int = 0
    done: int = 0

    @property
    def pct(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass(slots=True)
class Row:
    branch: BranchInfo
    cells: list[Cell | None]  # aligned with the columns; None where the item is not required
    group_start: bool = False

    @property
    def total(self) -> int:
        return len(self.cells) - self.cells.count(None)

    @property
    def done(self) -> int:
        return sum(map(HANDED_IN.__contains__, map(_state, filter(None, self.cells))))

    @property
    def pct(self) -> int | None:
        total = self.total
        return round(100 * self.done / total) if total else None


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
    rows = _matrix_rows(branches, [item.id for item in items], grid.cells, filters.state)
    # Every cell the rows show, row by row.
    shown: list[Cell] = list(filter(None, chain.from_iterable(row.cells for row in rows)))
    per_item = _states_per_item(rows, items)
    columns = [
        Column(item, per_item[item.id].total(), _handed_in(per_item[item.id])) for item in items
    ]
    states: Counter = Counter()
    for counts in per_item.values():
        states.update(counts)
    # "Late" qualifies a state (handed in late, or still owed and late already): counted beside.
    states["late"] = sum(map(attrgetter("late"), shown))
    overdue = sorted(
        (cell for cell in shown if cell.state == "overdue"),
        key=attrgetter("due_day", "branch_id"),
    )
    by_item = {item.id: item for item in items}
    by_branch = {b.id: b for b in branches}
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
            "states": [(key, label, states.get(key, 0)) for key, label in STATES],
        },
        charts=charts(
            items,
            handed_in=_per_day(map(attrgetter("handed_in_day"), shown)),
            # Cells without a fixed deadline have no day on the timeline.
            due=_per_day(map(attrgetter("due_day"), shown)),
            states_per_item=per_item,
            legend=STATES,
        ),
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
    item_ids: list[int],
    cells: dict[int, dict[int, Cell]],
    wanted: str,
) -> list[Row]:
    """The rows of the matrix; a branch is left out when no cell of it is in the ``wanted``
    state (the status filter)."""
    rows: list[Row] = []
    previous: BranchInfo | None = None
    no_cells: dict[int, Cell] = {}
    for branch in branches:
        row_cells = list(map(cells.get(branch.id, no_cells).get, item_ids))
        if wanted and not _shows(row_cells, wanted):
            continue
        group_start = previous is None or (previous.service, previous.group_path) != (
            branch.service,
            branch.group_path,
        )
        rows.append(Row(branch, row_cells, group_start))
        previous = branch
    return rows


def _shows(row_cells: list[Cell | None], wanted: str) -> bool:
    present = filter(None, row_cells)
    if wanted == "late":
        return any(map(attrgetter("late"), present))
    return wanted in map(_state, present)


def _states_per_item(rows: list[Row], items: list[TaskItem]) -> dict[int, Counter]:
    """item id → state → cells shown, counted column by column: a column's states are strings
    whose hashes Python keeps, where (state, item) pairs would be built and hashed per cell."""
    per_item = {item.id: Counter() for item in items}
    if rows:
        for item, column in zip(items, zip(*(row.cells for row in rows), strict=True), strict=True):
            per_item[item.id] = Counter(map(_state, filter(None, column)))
    return per_item


def _handed_in(states: Counter) -> int:
    return sum(states[state] for state in HANDED_IN)


def _per_day(day_numbers) -> Counter:
    """date → cells, from the cells' day numbers (None, no day, is left out)."""
    counts = Counter(day_numbers)
    counts.pop(None, None)
    return Counter({day_from_number(day): n for day, n in counts.items()})
