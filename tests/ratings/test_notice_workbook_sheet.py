"""Attachment 4 (the star self-assessment) has its sheet in the notice's workbook."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from portal.xlsx_layout import HEADER_ROW
from ratings.models import StarSelfAssessment
from ratings.self_assessment import StarSelfAssessmentExporter
from tasks.models import Assignment, AssignmentStatus
from tasks.workbook import write_workbook
from tests.builders.kind_fills import FILL
from tests.builders.tasks import assignment_of, published_item

pytestmark = pytest.mark.django_db


def test_self_assessments_stack_with_the_branch_first(personas):
    item = published_item(personas.tree["committee"], kind="star_self_assessment")
    handed_in = assignment_of(item, personas.tree["branch_a"])
    FILL["star_self_assessment"](handed_in)
    FILL["star_self_assessment"](assignment_of(item, personas.tree["branch_b"]))  # a draft
    Assignment.objects.filter(pk=handed_in.pk).update(status=AssignmentStatus.APPROVED)

    buffer = io.BytesIO()
    write_workbook(item.area.notice, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Star self-assessment"]
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:4] == ["Party branch", "Self-assessed star (2–5)", "Dimension", "No."]
    rows = [
        [c.value for c in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value
    ]
    assert len(rows) == 20
    assert {r[0] for r in rows} == {"甲党支部"}
    assert rows[0][1] == 4 and rows[3][header.index("Yes/No")] == "No"


def test_self_assessment_fields_sheet_has_each_branch_header_and_footer(personas):
    item = published_item(personas.tree["committee"], kind="star_self_assessment")
    handed_in = assignment_of(item, personas.tree["branch_a"])
    FILL["star_self_assessment"](handed_in)
    StarSelfAssessment.objects.filter(assignment=handed_in).update(
        committee_members="甲书记、乙委员", full_members=23, gaps="学习形式单一"
    )
    Assignment.objects.filter(pk=handed_in.pk).update(status=AssignmentStatus.APPROVED)

    buffer = io.BytesIO()
    write_workbook(item.area.notice, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    names = book.sheetnames
    assert names.index("Star self-assessment (branches)") == names.index("Star self-assessment") - 1
    sheet = book["Star self-assessment (branches)"]
    header = [cell.value for cell in sheet[HEADER_ROW]]
    # every header and footer field of the form, the hand signature aside
    form = StarSelfAssessmentExporter
    expected = [
        str(c.header)
        for c in (*form.header_columns, *form.footer_columns)
        if c.key not in ("branch", "signed_by")
    ]
    assert header[2:] == expected
    (row,) = [[c.value for c in r] for r in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    values = dict(zip(header, row, strict=True))
    assert values["Party branch"] == "甲党支部"
    assert (values["Secretary"], values["Committee members"]) == ("甲书记", "甲书记、乙委员")
    assert values["Full members"] == 23 and values["In service or retired"]
    assert values["Count of “yes”"] == 15 and values["Self-assessed star (2–5)"] == 4
    assert values["Main gaps and measures"] == "学习形式单一"
