"""The brand plan's header fields in Excel: printed above and below the measures, read back.

The import view shows the header values read from the file in its preview and saves them
with the rows on confirmation.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from portal.xlsx import write_xlsx
from portal.xlsx_import import read_xlsx
from portal.xlsx_layout import layout_of
from surveys.models import BrandPlan
from tasks.kinds import get_kind
from tests.builders.kind_fills import FILL
from tests.builders.tasks import form_assignment

pytestmark = pytest.mark.django_db

HEADER = {
    "secretary": "甲书记",
    "member_count": 23,
    "department": "分子细胞科学卓越创新中心",
    "brand_name": "红心向党",
    "slogan": "科研报国",
    "meaning": "把党建写在科研一线：" * 12,
    "research_link": "结合重大专项攻关",
    "goals": "三年建成示范支部",
    "expected_results": "形成可推广的经验",
    "meeting_date": date(2022, 10, 28),
    "committee_opinion": "同意",
}


@pytest.fixture
def plan(personas):
    assignment = form_assignment(personas, "brand_plan", branch="branch_b")
    FILL["brand_plan"](assignment)
    BrandPlan.objects.filter(assignment=assignment).update(**HEADER)
    return assignment


def _export(personas, assignment) -> bytes:
    response = personas.client("secretary_b").get(
        reverse("surveys:sheet_export", args=[assignment.pk])
    )
    return b"".join(response.streaming_content)


def test_export_prints_the_plan_header_and_closing_fields(personas, plan):
    ws = load_workbook(io.BytesIO(_export(personas, plan))).worksheets[0]
    kind = get_kind("brand_plan")
    layout = layout_of(kind.exporter(plan))
    labels = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(3, layout.header_row)}
    assert labels["Party branch"] == plan.branch.name
    assert labels["Brand name"] == "红心向党"
    assert labels["Member count"] == 23
    footer = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(1, ws.max_row + 1)}
    assert footer["Committee opinion"] == "同意"
    assert footer["Committee meeting date"].date() == date(2022, 10, 28)


def test_round_trip_gives_the_same_header_values_and_rows(personas, plan):
    kind = get_kind("brand_plan")
    result = read_xlsx(kind.import_spec(), _export(personas, plan))
    assert result.ok, result.errors
    read = {**result.header, **result.footer}
    assert read.pop("branch") == plan.branch.name
    assert read == HEADER
    assert [r["measure"] for r in result.rows] == ["每季度举办科研沙龙", "党员先锋岗挂牌"]
    assert kind.check_fields(read) == []


def test_imported_header_values_are_applied_by_the_kind(personas, plan):
    kind = get_kind("brand_plan")
    result = read_xlsx(kind.import_spec(), _export(personas, plan))
    target = form_assignment(personas, "brand_plan")
    kind.apply_import(target, result.rows, {**result.header, **result.footer})
    sheet = BrandPlan.objects.get(assignment=target)
    # Everything the branch fills comes in; the committee's opinion is the office's to write.
    expected = {**HEADER, "committee_opinion": ""}
    assert {name: getattr(sheet, name) for name in HEADER} == expected
    assert sheet.rows.count() == 2


def test_too_long_brand_name_from_a_file_is_refused_by_the_check():
    errors = get_kind("brand_plan").check_fields({"brand_name": "名" * 31, "branch": "x" * 500})
    assert [e.column for e in errors] == ["Brand name"]


def test_blank_template_carries_the_header_labels_to_fill_offline(personas):
    target = form_assignment(personas, "brand_plan")
    response = personas.client("secretary_a").get(
        reverse("surveys:sheet_template", args=[target.pk])
    )
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert ws["A3"].value == "Party branch" and ws["A11"].value == "Goals"
    assert ws["A12"].value == "No."


def test_import_view_previews_and_saves_the_header_fields(personas, plan):
    data = _export(personas, plan)
    BrandPlan.objects.filter(assignment=plan).update(brand_name="", slogan="", member_count=None)
    plan.refresh_from_db()
    client = personas.client("secretary_b")
    url = reverse("surveys:sheet_import", args=[plan.pk])
    upload = SimpleUploadedFile("plan.xlsx", data)
    preview = client.post(url, {"file": upload})
    assert preview.context["preview_fields"], preview.context.get("errors")
    assert "红心向党" in preview.content.decode()
    assert BrandPlan.objects.get(assignment=plan).brand_name == ""  # nothing saved yet

    client.post(reverse("surveys:sheet_import_confirm", args=[plan.pk]))
    saved = BrandPlan.objects.get(assignment=plan)
    assert (saved.brand_name, saved.slogan, saved.member_count) == ("红心向党", "科研报国", 23)
    assert saved.meeting_date == date(2022, 10, 28)


def test_a_file_written_in_chinese_imports_while_the_portal_speaks_english(personas, plan):
    kind = get_kind("brand_plan")
    with translation.override("zh-hans"):
        data = write_xlsx(kind.exporter(plan))
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert "序号" in [c.value for c in ws[layout_of(kind.exporter(plan)).header_row]]
    with translation.override("en"):
        result = read_xlsx(kind.import_spec(), data)
    assert result.ok, result.errors
    read = {**result.header, **result.footer}
    read.pop("branch")
    assert read == HEADER  # the header block and the closing fields, read by Chinese labels
    assert [r["measure"] for r in result.rows] == ["每季度举办科研沙龙", "党员先锋岗挂牌"]
