"""Every export, printed: the Shanghai Branch workbook, each attachment form and each import
template, converted to PDF by LibreOffice, shows every header and every cell's text whole, and
no two lines of text overlap (``tests/printout.py`` reads the PDF, clipping included).

All files are converted in one LibreOffice run per test, with a profile of the test session.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import xlsxwriter
from django.utils import timezone, translation
from openpyxl import load_workbook

from branches.exporters import RosterExporter
from branches.models import Organisation
from portal.xlsx import write_xlsx
from portal.xlsx_import import ImportSpec, template_workbook
from ratings.models import StarAnswer, StarSelfAssessment
from surveys.models import BrandMeasure, BrandPlan, Concern, RectificationItem
from tasks.kinds import get_kind
from tasks.models import Assignment, AssignmentStatus
from tasks.publishing import publish_notice
from tasks.workbook import notice_exporters
from tests.builders.kind_fills import FILL
from tests.builders.tasks import assignment_of, make_item, make_notice
from tests.clock import WORKDAY_MORNING
from tests.printout import convert_to_pdf, read_printout, soffice
from tests.services import need

pytestmark = [pytest.mark.libreoffice, pytest.mark.clock(at=WORKDAY_MORNING)]

FORM_KINDS = ("rectification", "service_survey", "brand_plan", "star_self_assessment")
LONG_BRANCH = "细胞生物学与分子生物学研究中心第一党支部"
LONG = (
    "对照巡察反馈意见，支部委员会逐条梳理问题清单，明确整改措施、责任人和完成时限，"
    "做到措施到位、责任到人、整改到位，并在年度工作总结中报告整改情况"
)
MIXED = "Cryo-EM 平台预约系统 upgrade：每周二、周四 19:00–22:00 开放，需提前 48 小时预约"


@pytest.fixture(scope="session")
def lo_profile(tmp_path_factory) -> Path:
    """One LibreOffice profile for the session: its first start is the slow one."""
    need("LibreOffice", soffice() is not None, "soffice not found (libreoffice-calc-nogui)")
    return tmp_path_factory.mktemp("lo-profile")


def _submit(assignment: Assignment, when: datetime.datetime) -> None:
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.SUBMITTED, submitted_at=when, first_submitted_at=when
    )


def _fill_long(assignments: dict[str, Assignment]) -> None:
    """Every form of the branch filled, with texts longer than one line of their column."""
    for kind, assignment in assignments.items():
        FILL[kind](assignment)
    RectificationItem.objects.filter(sheet__assignment=assignments["rectification"]).update(
        problem=LONG, goal=LONG[:30], measures=LONG + LONG, progress=MIXED, remarks=MIXED
    )
    Concern.objects.filter(sheet__assignment=assignments["service_survey"]).update(
        concern=LONG, suggestion=MIXED, progress=LONG, result=LONG[:40], people=MIXED[:20]
    )
    BrandPlan.objects.filter(assignment=assignments["brand_plan"]).update(
        department="细胞生物学与分子生物学研究中心",
        meaning=LONG,
        research_link=MIXED,
        goals=LONG + LONG,
        expected_results=LONG,
        meeting_date=date(2022, 10, 28),
        committee_opinion=LONG[:50],
    )
    BrandMeasure.objects.filter(sheet__assignment=assignments["brand_plan"]).update(
        measure=LONG, output=MIXED
    )
    StarSelfAssessment.objects.filter(assignment=assignments["star_self_assessment"]).update(
        committee_members="甲书记、乙委员、丙委员、丁委员、戊委员",
        full_members=23,
        probationary_members=2,
        gaps=LONG + LONG,
        meeting_date=date(2022, 11, 15),
    )
    StarAnswer.objects.filter(
        assessment__assignment=assignments["star_self_assessment"], indicator__number__lte=3
    ).update(evidence=LONG)


@pytest.fixture
def exports(personas, tmp_path) -> dict[str, Path]:
    """Every kind of export of a notice that asks for every form, as xlsx files."""
    branch = personas.tree["branch_a"]
    Organisation.objects.filter(pk=branch.pk).update(name=LONG_BRANCH)
    branch.refresh_from_db()
    notice = make_notice(
        personas.tree["committee"], title="关于做好党的二十大精神学习贯彻工作的提示"
    )
    titles = {
        "meeting": "开展学习交流活动（三会一课、主题党日、书记讲党课）",
        "rectification": "召开支委会，逐项制定整改措施（附件1）",
        "service_survey": "“我为群众办实事”调研情况表（附件2）",
        "brand_plan": "“一支部一品牌”创建计划表（附件3）",
        "star_self_assessment": "“四强·星级”党支部自评表（附件4）",
        "report": "报送失联党员和口袋党员排查情况",
    }
    items = {
        kind: make_item(notice, area_number=number, title=title, kind=kind)
        for number, (kind, title) in enumerate(titles.items(), 1)
    }
    publish_notice(notice.pk, None)
    assignments = {kind: assignment_of(items[kind], branch) for kind in FORM_KINDS}
    _fill_long(assignments)
    when = timezone.now() - timedelta(days=2)
    for assignment in assignments.values():
        _submit(assignment, when)
    Assignment.objects.filter(item=items["report"], branch=branch).update(report_text=LONG * 3)
    _submit(assignment_of(items["report"], branch), when)

    files: dict[str, Path] = {}

    def save(name: str, data: bytes | None) -> None:
        assert data is not None
        files[name] = tmp_path / f"{name}.xlsx"
        files[name].write_bytes(data)

    with translation.override("zh-hans"):
        save("workbook", write_xlsx(notice_exporters(notice)))
        for kind in FORM_KINDS:
            assignment = assignment_of(items[kind], branch)
            save(f"form_{kind}", write_xlsx(get_kind(kind).exporter(assignment)))
            save(
                f"template_{kind}",
                template_workbook(get_kind(kind).import_spec(), unit_name=branch.name),
            )
        save(
            "template_roster",
            template_workbook(ImportSpec.for_exporter(RosterExporter), unit_name=branch.name),
        )
    return files


def _cell_texts(path: Path) -> Iterator[str]:
    """The text of every filled cell, as the sheet shows it (dates as yyyy-mm-dd)."""
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or value == "":
                    continue
                if isinstance(value, datetime.datetime | datetime.date):
                    yield value.strftime("%Y-%m-%d")
                elif isinstance(value, float) and value.is_integer():
                    yield str(int(value))
                else:
                    yield str(value)


def _problems(printout, texts) -> list[str]:
    problems = [f"not shown whole: {t!r}" for t in printout.missing(texts)]
    problems += [f"clipped: {run}" for run in printout.clipped()]
    problems += [f"overlapping lines: {pair}" for pair in printout.overlaps()]
    return problems


@pytest.mark.django_db
def test_every_export_prints_whole(lo_profile, exports, tmp_path):
    outdir = tmp_path / "pdf"
    pdfs = convert_to_pdf(list(exports.values()), outdir, lo_profile)
    report = {}
    for name, path in exports.items():
        printout = read_printout(pdfs[path])
        texts = list(_cell_texts(path))
        assert texts, name
        assert printout.chars, name  # a guard on the reader itself
        problems = _problems(printout, texts)
        if problems:
            report[name] = problems[:12]
    assert not report, "\n".join(
        f"{name}:\n  " + "\n  ".join(problems) for name, problems in report.items()
    )


def test_the_reader_sees_cut_text_and_overlapping_lines(lo_profile, tmp_path):
    """The checks themselves: wrapped text in a row too low for it loses lines, text running
    into a filled neighbour is clipped (its cut character is in the PDF, yet not counted),
    text in a roomy cell is whole, and two texts drawn over each other overlap."""
    path = tmp_path / "cut.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    wrap = wb.add_format({"text_wrap": True, "border": 1, "font_name": "宋体"})
    plain = wb.add_format({"border": 1, "font_name": "宋体"})
    ws.set_column(0, 1, 10)
    ws.set_row(0, 15)
    ws.write_string(0, 0, "这是一个很长的表头文字，一行放不下", wrap)
    ws.write_string(1, 0, "填报单位：细胞生物学研究中心第一党支部", plain)
    ws.write_string(1, 1, "右邻", plain)
    ws.set_row(2, 80)
    ws.write_string(2, 1, "宽裕的单元格", wrap)
    wb.close()
    printout = read_printout(convert_to_pdf([path], tmp_path, lo_profile)[path])
    assert printout.missing(["这是一个很长的表头文字，一行放不下"])
    assert printout.missing(["填报单位：细胞生物学研究中心第一党支部"])
    assert printout.clipped()  # drawn, partly outside its cell
    assert not printout.missing(["宽裕的单元格", "右邻"])
    assert printout.lines() and not printout.overlaps()
    printout.chars.extend(printout.chars[-3:])  # the last line drawn twice, on itself
    assert printout.overlaps()
