"""The Shanghai Branch workbook of a notice: a summary sheet, then one sheet per attachment form.

Sheets come from the exporter registry (``portal.exporters``). An exporter joins the workbook
by offering a classmethod ``for_notice(notice)`` that returns an exporter instance stacking
all branches' rows of that notice (branch first), or ``None`` when the notice has nothing of
its kind. Exporters without the method are per-branch only and stay out of the workbook.

A small workbook is downloaded at once; a large one is built by the Celery job
``tasks.build_workbook`` into MEDIA_ROOT/exports/, with progress on an ``Export`` row and a
download link that expires (``EXPORT_TTL``). A row whose job never starts, or whose worker
died, is marked failed by a sweep (``fail_stranded_exports``) and can be asked for again.
That machinery is shared with the other background files (``tasks.exports``); the workbook
registers itself there as the builder of ``Export.kind == WORKBOOK``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import Organisation, Service
from portal import outbox
from portal.audit import log_action
from portal.exporters import DATE, Column, Exporter, exporters, register_exporter
from portal.xlsx import Progress, write_xlsx
from tasks.audit_actions import ACTION_EXPORT_BUILT, ACTION_EXPORT_REQUESTED
from tasks.dashboard import Grid, load_grid
from tasks.exports import (  # noqa: F401  (the shared machinery, re-exported for callers)
    EXPORT_TTL,
    NOT_STARTED,
    STALE,
    STALE_AFTER,
    delete_expired_exports,
    fail_stranded_exports,
    register_export_builder,
    run_export,
)
from tasks.models import WORKBOOK, Assignment, AssignmentStatus, Export, Notice
from tasks.models.notices import DEADLINE_TZ

#: Up to this many branches the workbook is built inside the request and downloaded at once.
INLINE_MAX_BRANCHES = 100
PROGRESS_EVERY_ROWS = 500


class NoticeExporter(Protocol):
    """What an exporter class offers to take part in the workbook of a notice."""

    @classmethod
    def for_notice(cls, notice: Notice) -> Exporter | None: ...


def _local_date(value):
    return timezone.localtime(value, DEADLINE_TZ).date() if value else None


@register_exporter
class SummaryExporter(Exporter):
    """Branch × task item: each item's status and hand-in date, one row per branch."""

    identifier = "tasks.notice_summary"
    title = gettext_lazy("Progress of the branches")
    sheet_title = gettext_lazy("Summary")

    def __init__(self, notice: Notice, *, grid: Grid | None = None, **kwargs):
        kwargs.setdefault("unit_name", str(notice.committee))
        super().__init__(**kwargs)
        self.notice = notice
        self.grid = grid
        self.title = _("%(title)s: progress of the branches (%(year)s issue %(number)s)") % {
            "title": notice.title,
            "year": notice.year,
            "number": notice.issue_number,
        }
        self.columns = self._columns()

    @classmethod
    def for_notice(cls, notice: Notice) -> SummaryExporter:
        return cls(notice)

    def _load(self) -> Grid:
        if self.grid is None:
            self.grid = load_grid(self.notice)
        return self.grid

    def _columns(self) -> list[Column]:
        columns = [
            Column("branch", _("Party branch"), 22),
            Column("general", _("General branch"), 16),
            Column("service", _("In service or retired"), 10),
        ]
        # Two header rows: each item's label over its status and hand-in date columns.
        for item in self._load().items:
            label = f"{item.display_label} {item.title}"
            columns.append(Column(f"status_{item.id}", _("Status"), 14, group=label))
            columns.append(Column(f"date_{item.id}", _("Handed in on"), 12, DATE, group=label))
        columns.append(Column("done", _("Handed in"), 10))
        return columns

    def estimated_rows(self) -> int:
        return len(self._load().branches)

    def rows(self) -> Iterator[list[Any]]:
        grid = self._load()
        services = dict(Service.choices)
        branches = sorted(
            grid.branches, key=lambda b: (b.service != Service.IN_SERVICE, b.group_path, b.path)
        )
        for branch in branches:
            row: list[Any] = [branch.name, branch.group_name, str(services.get(branch.service))]
            total = done = 0
            for item in grid.items:
                cell = grid.cell(branch.id, item.id)
                if cell is None:
                    row.extend([_("not required"), None])
                    continue
                total += 1
                done += cell.handed_in
                row.extend([cell.state_label, cell.handed_in_on])
            row.append(f"{done}/{total}")
            yield row


@register_exporter
class ReportSubmissionsExporter(Exporter):
    """All branches' text reports of a notice (the ``report`` kind), branch first."""

    identifier = "tasks.report_submissions"
    title = gettext_lazy("Reports of the branches")
    sheet_title = gettext_lazy("Reports")
    columns = (
        Column("branch", gettext_lazy("Party branch"), 22),
        Column("item", gettext_lazy("Task item"), 30),
        Column("status", gettext_lazy("Status"), 12),
        Column("handed_in", gettext_lazy("Handed in on"), 12, DATE),
        Column("report", gettext_lazy("Report"), 60),
    )

    def __init__(self, notice: Notice, **kwargs):
        kwargs.setdefault("unit_name", str(notice.committee))
        super().__init__(**kwargs)
        self.notice = notice

    @classmethod
    def for_notice(cls, notice: Notice) -> ReportSubmissionsExporter | None:
        if not notice.areas.filter(items__kind="report", items__withdrawn_at=None).exists():
            return None
        return cls(notice)

    def rows(self) -> Iterator[list[Any]]:
        labels = dict(AssignmentStatus.choices)
        rows = (
            Assignment.objects.filter(
                item__area__notice=self.notice, item__kind="report", item__withdrawn_at=None
            )
            .order_by("branch__path", "item__area__number", "item__label", "item_id")
            .values_list(
                "branch__name",
                "branch__short_name",
                "item__label",
                "item__area__number",
                "item__title",
                "status",
                "first_submitted_at",
                "report_text",
            )
        )
        for name, short, label, area, title, status, first, text in rows.iterator(2000):
            yield [
                short or name,
                f"{label or area} {title}",
                str(labels.get(status, status)),
                _local_date(first),
                text,
            ]


def notice_exporters(notice: Notice, *, grid: Grid | None = None) -> list[Exporter]:
    """The sheets of a notice's workbook: the summary, then every exporter that offers one."""
    sheets: list[Exporter] = [SummaryExporter(notice, grid=grid)]
    for cls in exporters():
        if cls is SummaryExporter:
            continue
        factory: Callable | None = getattr(cls, "for_notice", None)
        if factory is None:
            continue
        exporter = factory(notice)
        if exporter is not None:
            sheets.append(exporter)
    return sheets


def workbook_filename(notice: Notice) -> str:
    return f"{notice.committee}_{notice.year}_{notice.issue_number}_{notice.title}.xlsx".replace(
        "/", "_"
    )


def branch_count(notice: Notice) -> int:
    return Organisation.objects.within(notice.committee).branches().active().count()


# --- writing with progress ----------------------------------------------------------------------
def _progress_of(sheets: list[Exporter], report: Callable[[int], None]) -> Progress:
    """The writer's progress callback, turned into a percentage: each sheet has an equal share
    of the bar, filled by its rows written over its ``estimated_rows()`` (when it has one)."""
    share = 100 / max(len(sheets), 1)
    estimates = [getattr(exporter, "estimated_rows", lambda: 0)() for exporter in sheets]

    def progress(index: int, rows: int, finished: bool) -> None:
        base = index * share
        if finished:
            report(int(base + share))
        elif estimates[index]:
            report(int(base + share * min(rows / estimates[index], 1)))

    return progress


def write_workbook(notice: Notice, target, *, report: Callable[[int], None] | None = None) -> None:
    sheets = notice_exporters(notice)
    progress = _progress_of(sheets, report) if report is not None else None
    write_xlsx(sheets, target, progress=progress, progress_every=PROGRESS_EVERY_ROWS)


# --- the background export ----------------------------------------------------------------------
def request_export(notice: Notice, user) -> tuple[Export, bool]:
    """The running export of the notice, or a new one queued; ``(export, created)``.

    The build job goes through the outbox (``portal.outbox``) in this transaction: the
    request never waits for the broker, and the job is published once the broker answers.
    """
    fail_stranded_exports(Export.objects.filter(notice=notice))
    running = Export.objects.running().filter(notice=notice).first()
    if running is not None:
        return running, False
    try:
        with transaction.atomic():
            export = Export.objects.create(notice=notice, requested_by=user)
            log_action(
                notice,
                ACTION_EXPORT_REQUESTED,
                user=user,
                data={"export": export.pk, "mode": "job"},
            )
            outbox.enqueue("tasks.build_workbook", export.pk)
    except IntegrityError:
        # Another request started the job between our look and our insert: join it.
        return Export.objects.running().get(notice=notice), False
    return export, True


class WorkbookBuilder:
    """The notice workbook as a kind of background file (``tasks.exports``)."""

    built_action = ACTION_EXPORT_BUILT

    def write(self, export: Export, handle, report: Callable[[int], None]) -> None:
        write_workbook(export.notice, handle, report=report)

    def filename(self, export: Export) -> str:
        return workbook_filename(export.notice)

    def extension(self, export: Export) -> str:
        return "xlsx"

    def audit_object(self, export: Export) -> Notice:
        return export.notice


register_export_builder(WORKBOOK, WorkbookBuilder())
