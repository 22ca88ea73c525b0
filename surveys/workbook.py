"""The attachment forms in the Shanghai Branch workbook of a notice.

For each row-based form kind, one sheet stacks every branch's handed-in rows, the branch first,
in the form's own columns (tasks/workbook.py collects exporters offering ``for_notice``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from portal.exporters import Column, Exporter, register_exporter
from surveys.sheets.base import SheetKind
from tasks.models import AssignmentStatus

#: What the Shanghai Branch receives: forms the branch has handed in, not drafts.
HANDED_IN = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)


class NoticeSheetExporter(Exporter):
    """All branches' rows of one form kind in one notice; subclasses set ``kind``."""

    kind: SheetKind

    def __init__(self, notice, **kwargs):
        kwargs.setdefault("unit_name", str(notice.committee))
        super().__init__(**kwargs)
        self.notice = notice

    @classmethod
    def for_notice(cls, notice) -> NoticeSheetExporter | None:
        live = notice.areas.filter(items__kind=cls.kind.key, items__withdrawn_at=None)
        return cls(notice) if live.exists() else None

    def estimated_rows(self) -> int:
        return self._rows().count()

    def _rows(self):
        return (
            self.kind.row_model.objects.filter(
                sheet__assignment__item__area__notice=self.notice,
                sheet__assignment__item__kind=self.kind.key,
                sheet__assignment__item__withdrawn_at=None,
                sheet__assignment__status__in=HANDED_IN,
            )
            .select_related("sheet__assignment__branch")
            .order_by("sheet__assignment__branch__path", "sheet_id", "position", "id")
        )

    def rows(self) -> Iterator[list[Any]]:
        own_columns = self.columns[1:]
        sheet_id, number = None, 0
        for row in self._rows().iterator(chunk_size=2000):
            number = number + 1 if row.sheet_id == sheet_id else 1
            sheet_id = row.sheet_id
            branch = row.sheet.assignment.branch
            yield [branch.short_name or branch.name] + [
                number if col.key == "position" else getattr(row, col.key) for col in own_columns
            ]


def register_notice_sheets(kinds: list[SheetKind]) -> None:
    """One registered exporter class per form kind (called once, from SurveysConfig.ready)."""
    for kind in kinds:
        base = kind.exporter_class
        register_exporter(
            type(
                f"Notice{type(kind).__name__}Exporter",
                (NoticeSheetExporter,),
                {
                    "kind": kind,
                    "identifier": f"{base.identifier}.notice",
                    "title": base.title,
                    "sheet_title": getattr(base, "sheet_title", None) or base.title,
                    "columns": (Column("branch", _("Party branch"), 22), *base.columns),
                },
            )
        )
