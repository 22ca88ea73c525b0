"""Each attachment form has its sheet in the notice's Shanghai Branch workbook."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from portal.xlsx_layout import HEADER_ROW
from surveys.models import BrandPlan
from tasks.models import Assignment, AssignmentStatus
from tasks.models.notices import DEADLINE_TZ
from tasks.workbook import write_workbook
from tests.builders.kind_fills import FILL
from tests.builders.surveys import filled_rectification
from tests.builders.tasks import assignment_of, published_item

pytestmark = pytest.mark.django_db


def test_rectification_sheet_stacks_the_handed_in_rows_with_the_branch_first(personas):
    item = published_item(personas.tree["committee"], kind="rectification")
    handed_in = assignment_of(item, personas.tree["branch_a"])
    draft = assignment_of(item, personas.tree["branch_b"])
    filled_rectification(handed_in, count=3)
    filled_rectification(draft, count=2)
    Assignment.objects.filter(pk=handed_in.pk).update(status=AssignmentStatus.SUBMITTED)

    buffer = io.BytesIO()
    write_workbook(item.area.notice, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))

    sheet = next(ws for ws in book.worksheets if ws.title == "Rectification list")
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:3] == ["Party branch", "No.", "Source"]
    rows = [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
        if row[0].value
    ]
    assert [(r[0], r[1]) for r in rows] == [("甲党支部", 1), ("甲党支部", 2), ("甲党支部", 3)]
    assert [r[header.index("Problem")] for r in rows] == ["问题1", "问题2", "问题3"]


def test_no_sheet_for_a_form_the_notice_does_not_ask_for(personas):
    item = published_item(personas.tree["committee"], kind="report")
    buffer = io.BytesIO()
    write_workbook(item.area.notice, buffer)
    titles = load_workbook(io.BytesIO(buffer.getvalue())).sheetnames
    assert "Rectification list" not in titles


def test_brand_plan_fields_sheet_carries_each_branch_plan_header_and_footer(personas):
    item = published_item(personas.tree["committee"], kind="brand_plan")
    handed_in = assignment_of(item, personas.tree["branch_a"])
    FILL["brand_plan"](handed_in)
    BrandPlan.objects.filter(assignment=handed_in).update(
        meaning="把党建写在科研一线", goals="三年建成示范支部", expected_results="形成经验"
    )
    FILL["brand_plan"](assignment_of(item, personas.tree["branch_b"]))  # a draft: left out
    when = timezone.make_aware(datetime.datetime(2022, 10, 30, 9), DEADLINE_TZ)
    Assignment.objects.filter(pk=handed_in.pk).update(
        status=AssignmentStatus.SUBMITTED, submitted_at=when
    )

    buffer = io.BytesIO()
    write_workbook(item.area.notice, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    names = book.sheetnames
    assert names.index("Brand plan (branches)") == names.index("Brand plan") - 1
    sheet = book["Brand plan (branches)"]
    header = [cell.value for cell in sheet[HEADER_ROW]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert len(rows) == 1
    values = dict(zip(header, rows[0], strict=True))
    assert values["Party branch"] == "甲党支部"
    assert values["Handed in on"] == datetime.datetime(2022, 10, 30)
    assert (values["Brand name"], values["Slogan"], values["Secretary"]) == (
        "红心向党",
        "科研报国",
        "甲书记",
    )
    assert (values["Meaning"], values["Goals"], values["Expected results"]) == (
        "把党建写在科研一线",
        "三年建成示范支部",
        "形成经验",
    )
