"""The body of the progress matrix, written in Python rather than by the template, and the
rows of the overdue list and of the recent activity, made ready for it.

A page of the matrix has 100 branches × 20 task items: 2,000 cells, each a link with a state, a
title and a sign. Through template tags (a loop, an ``{% url %}`` and filters per cell) they
cost ten times as much as the string building below; the rest of the page stays a template.
"""

from __future__ import annotations

from operator import itemgetter
from typing import NamedTuple

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tasks.dashboard import Cell, cell_field

#: Any id: reversed once, split around it, the URL of every other id is prefix + id + suffix.
_MARKER = 999_999_999


_id = cell_field("id")
_state_and_late = itemgetter(Cell._fields.index("state"), Cell._fields.index("late"))


def _url_parts(name: str) -> tuple[str, str]:
    prefix, suffix = reverse(name, args=[_MARKER]).split(str(_MARKER))
    return prefix, suffix


def matrix_rows_html(rows, width: int) -> SafeString:
    """The ``<tr>`` of one page of rows (``tasks.dashboard_build.Row``): a heading row where a
    group of branches (in service or retired, general branch) starts and at the top of the
    page, then per branch its name, one cell per column (``width`` of them) and its share
    handed in."""
    branch_prefix, branch_suffix = _url_parts("branches:organisation_detail")
    cell_html = _CellHtml()
    lines = []
    for number, row in enumerate(rows):
        branch = row.branch
        if row.group_start or number == 0:
            group = branch.group_name or _("directly under the committee")
            lines.append(
                f'<tr class="group"><th scope="rowgroup">{escape(branch.service_label)} · '
                f'{escape(group)}</th><td colspan="{width + 1}"></td></tr>'
            )
        pct = row.pct
        lines.append(
            f'<tr><th scope="row" class="branch"><a href="{branch_prefix}{branch.id}'
            f'{branch_suffix}">{escape(branch.name)}</a></th>\n'
            f"{cell_html.row(row.values)}\n"
            f'<td class="pct">{"—" if pct is None else f"{pct}%"}</td></tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 (every value above is escaped or an int)


class _CellHtml:
    """The ``<td>`` of the cells of one page: a link per cell (state as class, label as title,
    glyph) and an empty cell where the branch is not required to do the item."""

    def __init__(self) -> None:
        self.prefix, self.suffix = _url_parts("tasks:assignment_detail")
        not_required = escape(_("Not required"))
        self.none = f'<td><span class="cell none" title="{not_required}"></span></td>'
        # (state, late) → the markup before and after the cell's id, built once per page.
        self.parts: dict[tuple[str, bool], tuple[str, str]] = {}

    def row(self, cells) -> str:
        """The cells of one row, from their values (``tasks.dashboard.CellValues``)."""
        html = []
        for values in cells:
            if values is None:
                html.append(self.none)
                continue
            key = _state_and_late(values)
            parts = self.parts.get(key)
            if parts is None:
                parts = self.parts[key] = self._parts(Cell._make(values))
            html.append(f"{parts[0]}{_id(values)}{parts[1]}")
        return "".join(html)

    def _parts(self, cell) -> tuple[str, str]:
        state = escape(cell.state)
        late = " late" if cell.late else ""
        return (
            f'<td><a class="cell st-{state}{late}" href="{self.prefix}',
            f'{self.suffix}" title="{escape(cell.state_label)}" data-state="{state}">'
            f"{cell.glyph}</a></td>",
        )


class OverdueRow(NamedTuple):
    url: str
    branch: str
    task: str
    due: str


def overdue_rows(overdue) -> list[OverdueRow]:
    """The rows of the overdue list (the escalations, in the liaison view), from its
    (cell, branch, item) entries, as the template shows them: a link to the assignment, the
    task's label and shortened title, the deadline. Per row, an ``{% url %}``, a truncation and
    a date format cost the template more than the rest of the list; the task's text is made
    once per item here."""
    prefix, suffix = _url_parts("tasks:assignment_detail")
    tasks: dict[int, str] = {}
    rows = []
    for cell, branch, item in overdue:
        task = tasks.get(item.id)
        if task is None:
            task = tasks[item.id] = f"{item.display_label} {Truncator(item.title).chars(36)}"
        due = cell.due.isoformat() if cell.due else ""
        rows.append(OverdueRow(f"{prefix}{cell.id}{suffix}", branch.name, task, due))
    return rows


class ActivityRow(NamedTuple):
    when: str
    branch: str
    url: str
    task: str
    label: str


def activity_rows(events: list[dict]) -> list[ActivityRow]:
    """The lines of the recent activity (``tasks.dashboard_figures.activity``) as the template
    shows them, made ready here for the reason given at ``overdue_rows``."""
    prefix, suffix = _url_parts("tasks:assignment_detail")
    return [
        ActivityRow(
            date_format(timezone.localtime(event["when"]), "Y-m-d H:i"),
            event["branch"].name,
            f"{prefix}{event['cell'].id}{suffix}",
            f"{event['item'].display_label} {Truncator(event['item'].title).chars(30)}",
            event["label"],
        )
        for event in events
    ]
