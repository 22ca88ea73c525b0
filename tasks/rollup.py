"""The region roll-up: per committee under the Shanghai Branch node, its published notices and
the share of assignments handed in, counted in the database (two queries for all committees)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from tasks.dashboard import HANDED_IN
from tasks.models import Assignment, TaskItem


def committee_rollup(committee_ids) -> dict[int, dict]:
    """Per committee: published notices and the share of assignments handed in.

    Two queries: the live items of the committees (hundreds), then their assignments counted
    per item (a pass over the assignment table with no join), summed here per committee.
    """
    items = {
        item_id: (notice_id, committee_id)
        for item_id, notice_id, committee_id in TaskItem.objects.live()
        .filter(area__notice__committee_id__in=list(committee_ids))
        .values_list("id", "area__notice_id", "area__notice__committee_id")
    }
    counts = (
        Assignment.objects.filter(item_id__in=list(items))
        .values("item_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status__in=HANDED_IN)))
        .order_by()
        .values_list("item_id", "total", "done")
    )
    sums: dict[int, dict] = {}
    for item_id, total, done in counts:
        notice_id, committee_id = items[item_id]
        row = sums.setdefault(committee_id, {"notices": set(), "total": 0, "done": 0})
        row["notices"].add(notice_id)
        row["total"] += total
        row["done"] += done
    return {
        committee_id: {
            "notices": len(row["notices"]),
            "total": row["total"],
            "done": row["done"],
            "pct": round(100 * row["done"] / row["total"]) if row["total"] else None,
        }
        for committee_id, row in sums.items()
    }


def region_rollup(committee_ids) -> dict[int, dict]:
    """The region page's figures per committee, with the link to drill down to its notices."""
    base = reverse("tasks:dashboard_list")
    figures = {cid: {"link": f"{base}?committee={cid}"} for cid in committee_ids}
    for cid, values in committee_rollup(committee_ids).items():
        figures[cid].update(values)
    return figures
