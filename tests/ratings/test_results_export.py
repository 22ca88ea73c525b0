"""The results in Excel: the official layout with a header block, the download, the Shanghai
Branch workbook of the notice, and the committee's star in the self-assessment's footer."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.exporters import get_exporter
from portal.xlsx import write_xlsx
from portal.xlsx_layout import layout_of
from ratings import services
from ratings.results import StarResultsExporter
from tasks.kinds import get_kind
from tasks.models import Assignment, AssignmentStatus
from tasks.models.notices import DEADLINE_TZ
from tasks.workbook import notice_exporters
from tests.builders.ratings import open_round, second_member, self_assess
from tests.ratings.test_results import run_round

pytestmark = pytest.mark.django_db


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_results_exporter_is_registered():
    assert get_exporter("ratings.star_results") is StarResultsExporter


def test_export_layout_header_block_and_rows(personas):
    second_member(personas)
    self_assess(personas, "branch_a", 4)
    run_round(personas, 2021, {"branch_a": 2, "branch_b": 3})
    rating_round = open_round(personas, 2022)
    services.rate(
        rating_round.pk, personas.tree["branch_a"].pk, personas.people["committee"], star=4
    )
    services.rate(
        rating_round.pk, personas.tree["branch_b"].pk, personas.people["committee2"], star=3
    )
    office = personas.user("office")
    services.close_round(rating_round.pk, office)
    services.decide(
        rating_round.pk, personas.tree["branch_a"].pk, star=4, rationale="好", user=office
    )
    services.decide(
        rating_round.pk, personas.tree["branch_b"].pk, star=3, rationale="", user=office
    )
    services.publish(rating_round.pk, office)

    response = personas.client("committee").get(
        reverse("ratings:results_export", args=[rating_round.pk])
    )
    assert response.status_code == 200
    ws = _sheet(b"".join(response.streaming_content))
    exporter = StarResultsExporter(rating_round)
    layout = layout_of(exporter)
    assert ws["A1"].value == str(StarResultsExporter.title)
    assert "测试中心党委" in ws["A2"].value
    block = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(3, layout.header_row)}
    assert block["Year"] == 2022 and block["Branches rated"] == 2
    assert block["Star goal of the committee"] == (
        "every in-service branch at least 3 stars by the end of 2023; 2 of 2 in 2022"
    )
    assert [c.value for c in ws[layout.header_row]] == [str(c.header) for c in exporter.columns]
    rows = {
        row[1]: row
        for row in ws.iter_rows(min_row=layout.first_data_row, values_only=True)
        if row[1]
    }
    a = rows["甲党支部"]
    assert (a[4], a[5], a[6], a[7], a[8]) == (4, "4", 4, 2, "好")
    assert rows["乙党支部"][4] is None and rows["乙党支部"][7] == 3


def test_unpublished_round_cannot_be_downloaded(personas):
    rating_round = open_round(personas)
    url = reverse("ratings:results_export", args=[rating_round.pk])
    assert personas.client("office").get(url).status_code == 404


def test_published_results_stack_into_the_notice_workbook(personas):
    assignment = self_assess(personas, "branch_a", 4)
    notice = assignment.item.area.notice
    assert not any(isinstance(s, StarResultsExporter) for s in notice_exporters(notice))
    run_round(personas, 2022, {"branch_a": 4, "branch_b": 3})
    sheets = notice_exporters(notice)
    results = [s for s in sheets if isinstance(s, StarResultsExporter)]
    assert len(results) == 1
    wb = load_workbook(io.BytesIO(write_xlsx(sheets)))
    assert str(StarResultsExporter.sheet_title) in wb.sheetnames


def test_self_assessment_footer_shows_the_published_committee_star(personas):
    assignment = self_assess(personas, "branch_a", 4)
    kind = get_kind("star_self_assessment")
    assert kind.export_fields(assignment).get("committee_star") is None
    run_round(personas, 2022, {"branch_a": 3, "branch_b": 3})
    fields = kind.export_fields(assignment)
    assert (fields["committee_star"], fields["committee_opinion"]) == (3, "2022年评定")
    ws = _sheet(write_xlsx(kind.exporter(assignment)))
    footer = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert footer["Star reviewed by the Party committee"] == 3
    assert footer["Self-assessed star (2–5)"] == 4


def test_self_assessment_is_dated_by_its_submission_and_left_unsigned(personas):
    assignment = self_assess(personas, "branch_a", 4)
    kind = get_kind("star_self_assessment")
    submitted = timezone.make_aware(datetime.datetime(2022, 11, 18, 23, 30), DEADLINE_TZ)
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.SUBMITTED, submitted_at=submitted
    )
    assignment.refresh_from_db()
    ws = _sheet(write_xlsx(kind.exporter(assignment)))
    info = [c.value for c in ws[2] if c.value]
    assert info[-1].endswith("2022-11-18")  # 填报日期: the day it was handed in, Beijing time
    footer = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert "Branch secretary (signature)" in footer
    assert footer["Branch secretary (signature)"] is None  # signed by hand on paper
    Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.RETURNED)
    assignment.refresh_from_db()
    assert kind.exporter(assignment).filled_on is None  # no longer the form handed in
