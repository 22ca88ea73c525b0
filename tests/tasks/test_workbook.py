"""The Shanghai Branch workbook of a notice: summary sheet, stacked form sheets, layout."""

from __future__ import annotations

import io
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.audit_actions import ACTION_EXPORT_DOWNLOADED
from portal.exporters import Column, Exporter, register_exporter, unregister_exporter
from portal.models import AuditEntry
from portal.xlsx import write_xlsx
from tasks.models import Assignment, AssignmentStatus, local_today
from tasks.publishing import publish_notice
from tasks.workbook import ReportSubmissionsExporter, SummaryExporter, notice_exporters
from tests.builders.tasks import make_item, make_notice
from tests.clock import WORKDAY_MORNING
from tests.printout import soffice
from tests.services import need

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


@pytest.fixture
def notice(personas):
    committee = personas.tree["committee"]
    notice = make_notice(committee, title="党支部工作提示")
    make_item(notice, area_number=1, label="1", title="学习交流", kind="meeting")
    make_item(notice, area_number=2, label="2", title="整改清单", kind="report")
    publish_notice(notice.pk, None)
    row = Assignment.objects.get(branch=personas.tree["branch_a"], item__label="2")
    when = timezone.now() - timedelta(days=1)
    Assignment.objects.filter(pk=row.pk).update(
        status=AssignmentStatus.SUBMITTED,
        submitted_at=when,
        first_submitted_at=when,
        report_text='=HYPERLINK("http://x")整改措施已落实',
    )
    return notice


def _download(personas, notice):
    response = personas.client("office").post(reverse("tasks:export_request", args=[notice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_small_export_downloads_at_once_with_summary_and_report_sheets(personas, notice):
    wb = _download(personas, notice)
    assert len(wb.sheetnames) == 2  # summary, then the reports of the ``report`` items
    summary, reports = wb.worksheets
    assert "党支部工作提示" in summary["A1"].value
    assert summary["A2"].value.endswith("测试中心党委")  # 填报单位
    # Two header rows: each item over its status and hand-in date, the others over both.
    header, sub = [c.value for c in summary[3]], [c.value for c in summary[4]]
    assert header[0] and "1 学习交流" in header[3] and "2 整改清单" in header[5]
    assert sub[3] and sub[4] and sub[3:5] == sub[5:7] and sub[0] is None
    assert {"D3:E3", "F3:G3"} <= {str(r) for r in summary.merged_cells.ranges}
    assert summary["A3"].border.bottom.style is None and summary["A4"].border.top.style is None
    body = {r[0]: r for r in summary.iter_rows(min_row=5, values_only=True)}
    assert set(body) == {"甲党支部", "乙党支部", "离退休党支部"}
    row_a = body["甲党支部"]
    assert row_a[1] == "科研党总支"
    assert row_a[6] is not None and row_a[6].date() == timezone.localdate() - timedelta(days=1)
    assert row_a[-1] == "1/2"
    # Reports: branch first, the hostile text kept as text (no formula).
    rows = list(reports.iter_rows(min_row=4, values_only=True))
    assert {r[0] for r in rows} == {"甲党支部", "乙党支部"}  # the item targets in-service ones
    texts = {r[0]: r[4] for r in rows}
    assert texts["甲党支部"].startswith("=HYPERLINK")
    cell = next(c for c in reports["E"] if c.value and str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    # Official layout: merged title, print titles, frozen panes.
    assert any(str(r).startswith("A1:") for r in summary.merged_cells.ranges)
    assert summary.freeze_panes == "A5"
    assert summary.print_title_rows == "$1:$4"
    # One download, one entry, under the one name of the event, about the notice.
    downloads = AuditEntry.objects.filter(
        action__in=["export.downloaded", "tasks.export.downloaded"]
    )
    assert [(e.action, e.object_id, e.data["mode"]) for e in downloads] == [
        (ACTION_EXPORT_DOWNLOADED, str(notice.pk), "inline")
    ]


def test_form_exporters_join_through_for_notice(personas, notice):
    class StackedExporter(Exporter):
        identifier = "test.stacked"
        title = "测试附件"
        columns = (Column("branch", "党支部"), Column("value", "内容"))

        @classmethod
        def for_notice(cls, n):
            exporter = cls(unit_name=str(n.committee))
            exporter.n = n
            return exporter

        def rows(self):
            yield ["甲党支部", "第一行"]

    class PerBranchOnly(Exporter):
        identifier = "test.per_branch"
        title = "只按支部导出"
        columns = (Column("x", "x"),)

    register_exporter(StackedExporter)
    register_exporter(PerBranchOnly)
    try:
        sheets = notice_exporters(notice)
    finally:
        unregister_exporter(StackedExporter.identifier)
        unregister_exporter(PerBranchOnly.identifier)
    kinds = [type(s) for s in sheets]
    assert kinds[0] is SummaryExporter
    assert ReportSubmissionsExporter in kinds and StackedExporter in kinds
    assert PerBranchOnly not in kinds
    wb = load_workbook(io.BytesIO(write_xlsx(sheets)))
    assert wb.worksheets[-1]["A4"].value == "甲党支部"


def test_notice_without_reports_has_no_report_sheet(personas):
    notice = make_notice(personas.tree["committee"])
    make_item(notice, kind="meeting", deadline=local_today())
    publish_notice(notice.pk, None)
    assert [type(s) for s in notice_exporters(notice)] == [SummaryExporter]


def test_other_committee_notice_cannot_be_exported(personas):
    other = make_notice(personas.tree["other_committee"])
    response = personas.client("office").post(reverse("tasks:export_request", args=[other.pk]))
    assert response.status_code == 404


@pytest.mark.libreoffice
def test_libreoffice_opens_every_sheet(personas, notice, tmp_path):
    need("LibreOffice", soffice() is not None, "soffice not found (libreoffice-calc-nogui)")
    path = tmp_path / "workbook.xlsx"
    path.write_bytes(write_xlsx(notice_exporters(notice)))
    # Converting each sheet to CSV reads the whole workbook the way Calc opens it.
    result = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    csvs = sorted(p.name for p in tmp_path.glob("workbook*.csv"))
    assert len(csvs) == 2, csvs
    assert "甲党支部" in (tmp_path / csvs[0]).read_text(encoding="utf-8")
