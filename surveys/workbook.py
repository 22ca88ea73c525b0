"""The attachment forms in the Shanghai Branch workbook of a notice.

For each row-based form kind, one sheet stacks every branch's handed-in rows, the branch first,
in the form's own columns (tasks/workbook.py collects exporters offering ``for_notice``). A form
with header and footer fields (the brand plan's name, slogan, meaning, goals, …) has a sheet of
them before, one row per branch with its date of submission.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.exporters import DATE, TEXT, Column, Exporter, register_exporter
from surveys.sheets.base import SheetKind
from tasks.models import AssignmentStatus
from tasks.models.notices import DEADLINE_TZ

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


#: Width of a long text field's column in the fields sheet (meaning, goals, opinions, …).
LONG_TEXT_WIDTH = 30


def field_column(model: type[models.Model], column: Column) -> Column:
    """``column`` of a form's header or footer as a column of the stacked fields sheet."""
    width = max(column.width, 12)
    if column.kind == TEXT and isinstance(model._meta.get_field(column.key), models.TextField):
        width = LONG_TEXT_WIDTH
    return Column(column.key, column.header, width, column.kind, choices=column.choices)


class NoticeSheetFieldsExporter(NoticeSheetExporter):
    """All branches' header and footer fields of one form kind in one notice, a row each."""

    field_columns: tuple[Column, ...] = ()

    def __init__(self, notice, **kwargs):
        super().__init__(notice, **kwargs)
        base = self.kind.exporter_class
        self.title = gettext("%(title)s: header and closing fields") % {"title": base.title}
        self.sheet_title = gettext("%(form)s (branches)") % {"form": base.sheet_title or base.title}

    @classmethod
    def columns_of(cls, kind: SheetKind) -> tuple[Column, ...]:
        base = kind.exporter_class
        return tuple(
            field_column(kind.sheet_model, col)
            for col in (*base.header_columns, *base.footer_columns)
            if col.key != "branch"
        )

    def _sheets(self):
        return (
            self.kind.sheet_model.objects.filter(
                assignment__item__area__notice=self.notice,
                assignment__item__kind=self.kind.key,
                assignment__item__withdrawn_at=None,
                assignment__status__in=HANDED_IN,
            )
            .select_related("assignment__branch")
            .order_by("assignment__branch__path", "id")
        )

    def estimated_rows(self) -> int:
        return self._sheets().count()

    def rows(self) -> Iterator[list[Any]]:
        for sheet in self._sheets().iterator(chunk_size=2000):
            assignment = sheet.assignment
            branch = assignment.branch
            submitted = assignment.submitted_at
            yield [
                branch.short_name or branch.name,
                timezone.localtime(submitted, DEADLINE_TZ).date() if submitted else None,
                *(getattr(sheet, col.key) for col in self.field_columns),
            ]


def register_notice_sheets(kinds: list[SheetKind]) -> None:
    """One registered exporter class per form kind, and one for the header and footer fields
    of a form that has them (called once, from SurveysConfig.ready)."""
    for kind in kinds:
        base = kind.exporter_class
        fields = NoticeSheetFieldsExporter.columns_of(kind)
        if fields:
            register_exporter(
                type(
                    f"Notice{type(kind).__name__}FieldsExporter",
                    (NoticeSheetFieldsExporter,),
                    {
                        "kind": kind,
                        "identifier": f"{base.identifier}.notice_fields",
                        "title": base.title,
                        "field_columns": fields,
                        "columns": (
                            Column("branch", _("Party branch"), 22),
                            Column("handed_in", _("Handed in on"), 12, DATE),
                            *fields,
                        ),
                    },
                )
            )
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
