"""A notice laid out as it was issued: areas with their text, sub-areas, items, attachments."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from tasks.models import Notice, TaskArea, TaskItem


def next_area_number(notice: Notice, parent: TaskArea | None = None) -> int:
    """The next free number among the notice's top-level areas, or among ``parent``'s parts."""
    siblings = parent.subareas.all() if parent is not None else notice.areas.top_level()
    return (siblings.order_by("-number").values_list("number", flat=True).first() or 0) + 1


def next_item_label(notice: Notice) -> str:
    """The next free item number of the notice: one past the highest all-digit label.

    Labels like 5a are free text and do not count; a notice's items are numbered through.
    """
    labels = TaskItem.objects.filter(area__notice=notice).values_list("label", flat=True)
    numbers = [int(label) for label in labels if label.isdigit()]
    return str(max(numbers, default=0) + 1)


def notice_outline(notice: Notice, items: QuerySet[TaskItem] | None = None) -> list[TaskArea]:
    """The top-level areas in order, each with ``own_items`` (items outside any sub-area) and
    ``parts`` (its sub-areas, each with ``part_items``) and each item with its attachments.

    Three queries whatever the notice's size: areas, sub-areas, items (with attachments).
    """
    items = (items if items is not None else TaskItem.objects.all()).prefetch_related(
        "attachments", "files"
    )
    areas = list(
        notice.areas.top_level().prefetch_related(
            Prefetch("items", queryset=items.order_by("label", "id")),
            Prefetch("subareas", queryset=TaskArea.objects.order_by("number")),
        )
    )
    for area in areas:
        area_items = list(area.items.all())
        area.parts = list(area.subareas.all())
        part_ids = {part.pk for part in area.parts}
        # An item never gets lost: one naming no sub-area of this area shows under the area.
        area.own_items = [item for item in area_items if item.subarea_id not in part_ids]
        for part in area.parts:
            part.part_items = [item for item in area_items if item.subarea_id == part.pk]
    return areas
