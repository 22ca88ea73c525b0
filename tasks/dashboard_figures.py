"""The figures beside a notice's matrix, read from the cells it shows: the latest activity and
the chart data. Counted in Python over cells already loaded, so they cost no query."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from itertools import compress, repeat
from operator import attrgetter, is_not

from django.utils.translation import gettext as _

from tasks.dashboard import Cell, instant_from_number

ACTIVITY_LIMIT = 12


#: The steps of the workflow kept on each assignment (Cell fields), in the order in which
#: steps of one assignment at the same instant are listed.
STEPS = ("submitted_us", "returned_us", "approved_us")
VERBS = {"submitted_us": "submitted", "returned_us": "returned", "approved_us": "approved"}


def activity(cells: list[Cell], by_branch, by_item) -> list[dict]:
    """The latest steps, read from the timestamps the workflow keeps on each assignment."""
    ids = list(map(attrgetter("id"), cells))
    steps = []
    for rank, field in enumerate(STEPS):
        # The latest steps of all are among the latest of each kind. A step is (instant, id,
        # -rank, cell): no two are equal, so the comparison never reaches the cell. They are
        # built and filtered by C loops; a generator would run Python code for every cell.
        instants = list(map(attrgetter(field), cells))
        taken = map(is_not, instants, repeat(None))
        kind = compress(zip(instants, ids, repeat(-rank), cells), taken)
        steps += heapq.nlargest(ACTIVITY_LIMIT, kind)
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
