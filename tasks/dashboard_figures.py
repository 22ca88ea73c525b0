"""The figures beside a notice's matrix, read from the cells it shows: the latest activity and
the chart data. Counted in Python over cells already loaded, so they cost no query."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from itertools import compress, repeat
from operator import is_not

from django.utils.translation import gettext as _

from tasks.dashboard import Cell, CellValues, cell_field, instant_from_number

ACTIVITY_LIMIT = 12


#: The steps of the workflow kept on each assignment (Cell fields), in the order in which
#: steps of one assignment at the same instant are listed.
STEPS = ("submitted_us", "returned_us", "approved_us")
VERBS = {"submitted_us": "submitted", "returned_us": "returned", "approved_us": "approved"}


def activity(cells: list[CellValues], by_branch, by_item) -> list[dict]:
    """The latest steps, read from the timestamps the workflow keeps on each assignment."""
    # Only the twelve cells whose own latest step is latest can hold the twelve latest steps
    # (any other cell is outdone by twelve cells, each with a later step). They are found by
    # C loops over (latest step, id, cell) of the cells that took a step; ids differ, so the
    # comparison never reaches the cells.
    lasts = list(map(cell_field("last_step_us"), cells))
    taken = list(map(is_not, lasts, repeat(None)))
    candidates = heapq.nlargest(
        ACTIVITY_LIMIT,
        zip(
            compress(lasts, taken),
            compress(map(cell_field("id"), cells), taken),
            compress(cells, taken),
            strict=True,
        ),
    )
    # A step is (instant, id, -rank, cell): the latest first, and of one cell's steps at the
    # same instant, the hand-in before the return and the approval.
    steps = [
        (when, cell.id, -rank, cell)
        for cell in (Cell._make(values) for _last, _id, values in candidates)
        for rank, field in enumerate(STEPS)
        if (when := getattr(cell, field)) is not None
    ]
    labels = {
        "submitted": _("submitted"),
        "returned": _("was returned"),
        "approved": _("was approved"),
    }
    events = []
    for when, _id, rank, cell in sorted(steps, reverse=True)[:ACTIVITY_LIMIT]:
        verb = VERBS[STEPS[-rank]]
        events.append(
            {
                "when": instant_from_number(when),
                "verb": verb,
                "label": labels[verb],
                "cell": cell,
                "branch": by_branch[cell.branch_id],
                "item": by_item[cell.item_id],
            }
        )
    return events


def charts(
    items, *, handed_in: Counter, due: Counter, states_per_item: dict[int, Counter], legend
) -> dict:
    """Chart data: hand-ins over time (first hand-ins per Beijing day) against the deadlines
    (cells due per day), and states per area (stacked in the order of ``legend``, the
    (state, label) pairs of the matrix)."""
    days = sorted(set(handed_in) | set(due))
    cumulative, running = [], 0
    for day in days:
        running += handed_in[day]
        cumulative.append(running)
    area_titles = {}
    for item in items:
        area_titles.setdefault(item.area.number, f"{item.area.numbering}{item.area.title}"[:24])
    per_area: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        for state, count in states_per_item[item.id].items():
            per_area[state][item.area.number] += count
    area_numbers = sorted(area_titles)
    return {
        "timeline": {
            "labels": [d.isoformat() for d in days],
            "handed_in": cumulative,
            "due": [due[d] for d in days],
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
                for key, label in legend
                if key != "late"
            ],
        },
    }
