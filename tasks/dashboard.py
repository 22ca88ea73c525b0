"""The read side of a notice's progress: the branch × task item grid and the page's filters.

Everything is assembled in Python from a fixed number of queries, whatever the number of
branches (DESIGN §5.8):

    1. the organisations of the notice's committee (general branches and branches)
    2. the task items of the notice with their areas
    3. the assignments of the notice, one small tuple of values each (see ``Cell``), with the
       derived overdue / late flags of ``AssignmentQuerySet.with_flags`` (the one home of that
       rule)

The office dashboard, the committee member's view and the workbook's summary sheet read from
here; the region roll-up (``tasks.rollup``) counts in the database instead. The dashboard is
built from the grid in ``tasks.dashboard_build``, its matrix written in ``tasks.dashboard_html``.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, compress
from operator import itemgetter
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, Case, CharField, F, Func, IntegerField, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation, OrgKind, Service
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
#: The branch still owes the work: an open status, past its deadline ("overdue") or not.
OWED = (S.PENDING.value, S.DRAFT.value, S.RETURNED.value, "overdue")
SERVICE_KEYS = tuple(Service.values)

#: Day numbers and instants of a cell count from here (see ``Cell``).
EPOCH_DAY = datetime.date(1970, 1, 1)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def day_from_number(days: int | None) -> datetime.date | None:
    return None if days is None else EPOCH_DAY + datetime.timedelta(days=days)


def instant_from_number(microseconds: int | None) -> datetime.datetime | None:
    """The aware (UTC) instant, exact to the microsecond as the database keeps it."""
    return None if microseconds is None else EPOCH + datetime.timedelta(microseconds=microseconds)


# --- the grid: three queries ---------------------------------------------------------------------
class Cell(NamedTuple):
    """One assignment as the matrix sees it: a tuple of plain values.

    The grid keeps each cell as the plain tuple the database driver returns, in this order
    (``CellValues``), and counts over them by position (``cell_field``); a Cell, the same
    values with names, is made for what is shown or exported (``Row.cells``, ``Grid.cell``).
    Making 20,000 named tuples would cost more than reading the rows, and a plain tuple of
    plain values is one the cycle collector stops tracking.

    Its dates and instants are integers, days and microseconds since 1970-01-01 (UTC): the
    database driver reads 20,000 integers several times faster than it builds as many dates
    and aware datetimes, and the page turns only the few it shows back into dates (``due``,
    ``handed_in_on``, the activity's times).
    """

    id: int
    item_id: int
    branch_id: int
    #: The stored status, or "overdue" when the work is still owed after its deadline day.
    state: str
    #: First handed in after the deadline day.
    late: bool
    #: The deadline (the extension, else the item's), as a day number.
    due_day: int | None
    #: The day of the first hand-in in Beijing, as a day number.
    handed_in_day: int | None
    #: The latest hand-in, return and approval, in microseconds since 1970-01-01 UTC, and the
    #: latest of the three.
    submitted_us: int | None
    returned_us: int | None
    approved_us: int | None
    last_step_us: int | None

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def due(self) -> datetime.date | None:
        return day_from_number(self.due_day)

    @property
    def handed_in_on(self) -> datetime.date | None:
        return day_from_number(self.handed_in_day)

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
        return self.state in HANDED_IN


#: A cell's values as the database driver returns them, in the order of Cell's fields.
CellValues = tuple


def cell_field(name: str) -> itemgetter:
    """A getter of one field of a cell's values (or of a Cell) by its position."""
    return itemgetter(Cell._fields.index(name))


_branch_id = cell_field("branch_id")
_item_id = cell_field("item_id")
_state = cell_field("state")


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
    cells: dict[int, dict[int, CellValues]]  # branch id → item id → the cell's values

    def cell(self, branch_id: int, item_id: int) -> Cell | None:
        values = self.cells.get(branch_id, {}).get(item_id)
        return None if values is None else Cell._make(values)

    def all_cells(self) -> Iterator[CellValues]:
        return chain.from_iterable(row.values() for row in self.cells.values())

    def owed_per_item(self) -> Counter:
        """item id → branches that still owe it (whatever the page's filters show)."""
        cells = list(self.all_cells())
        # C loops over the 20,000 cells (see tasks.dashboard_build), not a generator.
        owes = map(frozenset(OWED).__contains__, map(_state, cells))
        return Counter(map(_item_id, compress(cells, owes)))


class DayNumber(Func):
    """A date as the number of days since 1970-01-01 (a date minus a date is an integer)."""

    template = "(%(expressions)s - DATE '1970-01-01')"
    output_field = IntegerField()


class EpochMicroseconds(Func):
    """An instant as the number of microseconds since 1970-01-01 UTC, exactly."""

    template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
    output_field = BigIntegerField()


#: The columns of a ``Cell``, in its order.
CELL_COLUMNS = (
    "id",
    "item_id",
    "branch_id",
    "state",
    "is_late_db",
    "due_day",
    "handed_in_day",
    "submitted_us",
    "returned_us",
    "approved_us",
    "last_step_us",
)


def load_grid(notice: Notice, *, branch_ids=None) -> Grid:
    """Branches (all of the committee, or only ``branch_ids``), items and cells of a notice."""
    branches = _branches(notice, None if branch_ids is None else set(branch_ids))
    items = list(
        TaskItem.objects.filter(area__notice=notice, withdrawn_at__isnull=True)
        .select_related("area")
        .order_by("area__number", "label", "id")
    )
    # The items are known: filtering on their ids spares the join up to the notice.
    rows = Assignment.objects.filter(item_id__in=[item.id for item in items])
    if branch_ids is not None:
        rows = rows.filter(branch_id__in=sorted(set(branch_ids)))
    rows = (
        rows.with_flags()
        .annotate(
            state=Case(
                When(is_overdue_db=True, then=Value("overdue")),
                default=F("status"),
                output_field=CharField(),
            ),
            due_day=DayNumber("effective_due"),
            handed_in_day=DayNumber("first_submitted_day"),
            submitted_us=EpochMicroseconds("submitted_at"),
            returned_us=EpochMicroseconds("returned_at"),
            approved_us=EpochMicroseconds("approved_at"),
            # GREATEST leaves out NULLs (PostgreSQL): NULL only when no step was taken.
            last_step_us=EpochMicroseconds(Greatest("submitted_at", "returned_at", "approved_at")),
        )
        .values_list(*CELL_COLUMNS)
        .order_by()
    )
    cells: defaultdict[int, dict[int, CellValues]] = defaultdict(dict)
    for values in _plain_rows(rows):
        cells[_branch_id(values)][_item_id(values)] = values
    return Grid(notice, branches, items, dict(cells))


def _plain_rows(queryset) -> list[tuple]:
    """The rows of a values_list() queryset, read straight from the cursor.

    Iterating the queryset would pass every row through Django's converters for its integer
    columns, a Python call per value: for 20,000 cells, more than reading them."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # filtered on no ids at all: Django would not ask the database either
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _branches(notice: Notice, wanted: set[int] | None) -> list[BranchInfo]:
    orgs = (
        Organisation.objects.within(notice.committee)
        .filter(kind__in=[OrgKind.GENERAL_BRANCH, OrgKind.BRANCH], is_active=True)
        .order_by("path")
        .values_list("id", "name", "short_name", "path", "kind", "service")
    )
    steplen = Organisation.steplen
    general: dict[str, str] = {}
    branches: list[BranchInfo] = []
    for pk, name, short_name, path, kind, service in orgs:
        if kind == OrgKind.GENERAL_BRANCH:
            general[path] = short_name or name
            continue
        if wanted is not None and pk not in wanted:
            continue
        # Ordered by path, so a general branch is always seen before its branches; the
        # outermost general branch above the branch (the shortest prefix) names its group.
        group = next(
            (path[:end] for end in range(steplen, len(path), steplen) if path[:end] in general),
            "",
        )
        branches.append(
            BranchInfo(pk, short_name or name, path, service, group, general.get(group, ""))
        )
    return branches


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
