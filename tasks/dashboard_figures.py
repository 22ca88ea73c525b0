"""The figures beside a notice's matrix, read from the cells it shows: the latest activity and
the chart data. Counted in Python over cells already loaded, so they cost no query."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from tasks.models.notices import DEADLINE_TZ

ACTIVITY_LIMIT = 12


def activity(cells, by_branch, by_item) -> list[dict]:
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


def charts(
    items, first_submitted: Counter, due_days: Counter, per_state_item: Counter, legend
) -> dict:
    """Chart data: hand-ins over time against the deadlines, and states per area (stacked in
    the order of ``legend``, the (state, label) pairs of the matrix)."""
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
        area_titles.setdefault(item.area.number, f"{item.area.numbering}{item.area.title}"[:24])
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
                for key, label in legend
                if key != "late"
            ],
        },
    }
