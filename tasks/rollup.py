"""The region roll-up: per committee under the Shanghai Branch node, its published notices and
the share of assignments handed in, counted in the database (one query for all committees)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from tasks.dashboard import HANDED_IN
from tasks.models import Assignment


def committee_rollup(committee_ids) -> dict[int, dict]:
    """Per committee: published notices and the share of assignments handed in (one query)."""
    rows = (
        Assignment.objects.live()
        .filter(item__area__notice__committee_id__in=list(committee_ids))
        .values("item__area__notice__committee_id")
        .annotate(
            notices=Count("item__area__notice", distinct=True),
            total=Count("id"),
            done=Count("id", filter=Q(status__in=HANDED_IN)),
        )
        .order_by()
    )
    result = {}
    for row in rows:
        total = row["total"]
        result[row["item__area__notice__committee_id"]] = {
            "notices": row["notices"],
            "total": total,
            "done": row["done"],
            "pct": round(100 * row["done"] / total) if total else None,
        }
    return result


def region_rollup(committee_ids) -> dict[int, dict]:
    """The region page's figures per committee, with the link to drill down to its notices."""
    base = reverse("tasks:dashboard_list")
    figures = {cid: {"link": f"{base}?committee={cid}"} for cid in committee_ids}
    for cid, values in committee_rollup(committee_ids).items():
        figures[cid].update(values)
    return figures
