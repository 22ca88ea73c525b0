"""The office dashboard of one notice, built from its grid (``tasks.dashboard``): the rows and
columns of the matrix, the completion figures, the overdue list, the activity and the charts.

A grid holds some 20,000 cells. Every count over them is made by Python's C loops (``Counter``,
``map``, ``filter``, ``zip``) rather than by a Python statement per cell and figure, which at that
size would cost more than the query; what only the page's hundred rows need (a row's share
handed in) is worked out for those rows alone.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from itertools import chain, compress
from operator import itemgetter

from branches.models import Service
from tasks.dashboard import (
    HANDED_IN,
    STATES,
    BranchInfo,
    Cell,
    CellValues,
    Filters,
    Grid,
    cell_field,
    day_from_number,
)
from tasks.dashboard_figures import activity, charts
from tasks.models import TaskItem

OVERDUE_LIST_LIMIT = 50

_state = cell_field("state")
_late = cell_field("late")
_due_and_branch = itemgetter(Cell._fields.index("due_day"), Cell._fields.index("branch_id"))


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
    # The cells' values, aligned with the columns; None where the item is not required.
    values: list[CellValues | None]
    group_start: bool = False

    @property
    def cells(self) -> list[Cell | None]:
        return [None if values is None else Cell._make(values) for values in self.values]

    @property
    def total(self) -> int:
        return len(self.values) - self.values.count(None)

    @property
    def done(self) -> int:
        return sum(map(HANDED_IN.__contains__, map(_state, filter(None, self.values))))

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
    shown: list[CellValues] = list(filter(None, chain.from_iterable(row.values for row in rows)))
    figures = _count(rows, shown, items)
    columns = [Column(item, figures.total(item.id), figures.done(item.id)) for item in items]
    states: Counter = Counter()
    for counts in figures.per_item.values():
        states.update(counts)
    # "Late" qualifies a state (handed in late, or still owed and late already): counted beside.
    states["late"] = figures.late
    overdue = compress(shown, map("overdue".__eq__, map(_state, shown)))
    by_item = {item.id: item for item in items}
    by_branch = {b.id: b for b in branches}
    done = sum(column.done for column in columns)
    return Dashboard(
        grid=grid,
        filters=filters,
        columns=columns,
        area_headers=_area_headers(items),
        rows=rows,
        # The first by deadline, then branch: as sorted() would list them, without sorting all.
        overdue=[
            (cell, by_branch[cell.branch_id], by_item[cell.item_id])
            for cell in map(
                Cell._make, heapq.nsmallest(OVERDUE_LIST_LIMIT, overdue, key=_due_and_branch)
            )
        ],
        overdue_count=states["overdue"],
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
            handed_in=figures.handed_in_days,
            due=figures.due_days,
            states_per_item=figures.per_item,
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
    cells: dict[int, dict[int, CellValues]],
    wanted: str,
) -> list[Row]:
    """The rows of the matrix; a branch is left out when no cell of it is in the ``wanted``
    state (the status filter)."""
    rows: list[Row] = []
    previous: BranchInfo | None = None
    no_cells: dict[int, CellValues] = {}
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


def _shows(row_cells: list[CellValues | None], wanted: str) -> bool:
    present = filter(None, row_cells)
    if wanted == "late":
        return any(map(_late, present))
    return wanted in map(_state, present)


@dataclass
class Figures:
    """The shown cells counted for the totals, the columns and the charts."""

    per_item: dict[int, Counter]  # item id → state → cells
    late: int
    due_days: Counter  # date → cells due that day (cells without a fixed deadline have none)
    handed_in_days: Counter  # date (Beijing) → cells first handed in that day

    def total(self, item_id: int) -> int:
        return self.per_item[item_id].total()

    def done(self, item_id: int) -> int:
        return sum(self.per_item[item_id][state] for state in HANDED_IN)


_handed_in_day = cell_field("handed_in_day")
_due_day = cell_field("due_day")


def _count(rows: list[Row], shown: list[CellValues], items: list[TaskItem]) -> Figures:
    """The figures of the shown cells, each counted by C loops over them (``Counter``, ``sum``,
    ``map``, ``list.count``) rather than Python code per cell; the states and deadlines
    column by column: a column's states are strings, quick to compare, and its cells are due
    on the item's deadline unless extended."""
    per_item = {item.id: Counter() for item in items}
    due_days: Counter = Counter()
    if rows:
        columns = zip(*(row.values for row in rows), strict=True)
        for item, column in zip(items, columns, strict=True):
            cells = list(filter(None, column))
            per_item[item.id] = Counter(map(_state, cells))
            due = list(map(_due_day, cells))
            if due and due.count(due[0]) == len(due):
                due_days[due[0]] += len(due)
            else:
                due_days.update(due)
    return Figures(
        per_item=per_item,
        late=sum(map(_late, shown)),
        due_days=_per_day(due_days),
        handed_in_days=_per_day(Counter(map(_handed_in_day, shown))),
    )


def _per_day(counts: Counter) -> Counter:
    """date → cells, from cells counted by day number (None, no day, is left out)."""
    return Counter({day_from_number(day): n for day, n in counts.items() if day is not None})
