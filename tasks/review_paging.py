"""Paging the review list in deadline order without sorting every matching row.

The list runs by the task item's deadline, then its area number, then the branch. The leading
keys belong to the item, which hundreds of rows share: one grouped query counts the rows of each
item (the total the list shows and the page count come from it), and a page then reads and sorts
the rows of the few items it spans only. A plain LIMIT/OFFSET sorted every matching row of the
committee, thousands for a large one, for each page.
"""

from __future__ import annotations

from django.db.models import Count, Min, QuerySet

#: The list's order: rows of one (deadline, area number) run by branch; the primary key settles
#: a branch owing two items of one area and day, so a row keeps its page from query to query.
DEADLINE_ORDER = ("item__deadline", "item__area__number", "branch__path", "pk")


class DeadlineOrderedRows:
    """What ``Paginator`` pages: ``count()`` and slices of ``rows`` in ``DEADLINE_ORDER``.

    ``rows`` is the filtered list; ``shown`` is the same rows as the page shows them
    (annotations, related rows). Rows whose items share a deadline and an area number interleave
    by branch, so such items make one group and a page reads whole groups.
    """

    def __init__(self, rows: QuerySet, shown: QuerySet) -> None:
        self._rows = rows
        self._shown = shown
        self._groups: list[tuple[list[int], int]] | None = None

    def groups(self) -> list[tuple[list[int], int]]:
        """(item ids, rows) of each group, in the list's order: one query."""
        if self._groups is None:
            # Grouped by the item alone (its deadline and area number are one value per item):
            # PostgreSQL then counts in a hash table and sorts the few items, not every row.
            per_item = (
                self._rows.values("item_id")
                .annotate(
                    rows=Count("*"),
                    due=Min("item__deadline"),
                    area_number=Min("item__area__number"),
                )
                .order_by("due", "area_number")
                .values_list("due", "area_number", "item_id", "rows")
            )
            keys: list[tuple] = []
            groups: list[tuple[list[int], int]] = []
            for deadline, number, item_id, rows in per_item:
                if keys and keys[-1] == (deadline, number):
                    items, before = groups[-1]
                    groups[-1] = ([*items, item_id], before + rows)
                else:
                    keys.append((deadline, number))
                    groups.append(([item_id], rows))
            self._groups = groups
        return self._groups

    def count(self) -> int:
        return sum(rows for _items, rows in self.groups())

    def __getitem__(self, key: slice) -> list:
        start, stop = key.start or 0, key.stop
        items: list[int] = []
        skip = position = 0
        for group_items, rows in self.groups():
            if stop is not None and position >= stop:
                break
            if position + rows > start:
                if not items:
                    skip = start - position  # rows of the first group before the page
                items += group_items
            position += rows
        if not items:
            return []
        page = self._shown.filter(item_id__in=items).order_by(*DEADLINE_ORDER)
        return list(page[skip : None if stop is None else skip + stop - start])
