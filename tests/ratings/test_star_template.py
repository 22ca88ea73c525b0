"""The blank star self-assessment template (surveys:sheet_template for this kind): the rows of
the current indicator set come filled in, marked when placeholder or veto, and the file imports
back unchanged once only the yes/no answers are filled."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ratings.indicator_sets import current_set
from ratings.models import Indicator, StarAnswer, StarSelfAssessment
from tasks.models import Assignment, AssignmentStatus
from tests.builders.tasks import form_assignment
from tests.surveys.badfiles import column_of, edit, first_data_row
from tests.surveys.helpers import detail

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(personas):
    return form_assignment(personas, "star_self_assessment")


def template(personas, assignment) -> bytes:
    response = personas.client("secretary_a").get(
        reverse("surveys:sheet_template", args=[assignment.pk])
    )
    assert response.status_code == 200
    return response.content


def table(data: bytes) -> list[tuple]:
    """The data rows of the template's table (dimension, no., indicator, yes/no, evidence)."""
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = []
    for row in ws.iter_rows(min_row=first_data_row(ws), max_col=5, values_only=True):
        if not isinstance(row[1], int):
            break  # the footer block starts
        rows.append(row)
    return rows


def answer_all(data: bytes, answers: dict[int, str]) -> bytes:
    """Fill the Yes/No cell of each numbered row, nothing else."""

    def change(wb, ws):
        answer = column_of(ws, "Yes/No")
        number = column_of(ws, "No.")
        for row in range(first_data_row(ws), first_data_row(ws) + 20):
            ws.cell(row, answer).value = answers[ws.cell(row, number).value]

    return edit(data, change)


def upload(client, assignment, data: bytes):
    file = io.BytesIO(data)
    file.name = "自评表.xlsx"
    return client.post(reverse("surveys:sheet_import", args=[assignment.pk]), {"file": file})


ANSWERS = {n: ("No" if n in (4, 15) else "Yes") for n in range(1, 21)}


def test_template_holds_every_indicator_of_the_current_set(personas, assignment):
    rows = table(template(personas, assignment))
    indicators = list(current_set(personas.tree["committee"], 2022).indicators.all())
    assert [(r[0], r[1]) for r in rows] == [
        (i.get_dimension_display(), i.number) for i in indicators
    ]
    assert all(r[3] is None and r[4] is None for r in rows)  # the answers are left blank
    # the placeholder set's indicators say so in the file
    assert rows[0][2] == "每月开展理论学习 (placeholder)"


def test_template_marks_veto_indicators_and_not_an_official_set(personas, assignment):
    indicator_set = current_set(personas.tree["committee"], 2022)
    indicator_set.is_placeholder = False
    indicator_set.save()
    Indicator.objects.filter(indicator_set=indicator_set, number=20).update(is_veto=True)
    rows = table(template(personas, assignment))
    assert rows[0][2] == "每月开展理论学习"
    assert rows[19][2] == "无违纪违规情况 (veto)"


def test_template_with_only_answers_filled_imports_unchanged(personas, assignment):
    client = personas.client("secretary_a")
    filled = answer_all(template(personas, assignment), ANSWERS)
    preview = upload(client, assignment, filled)
    assert preview.status_code == 200
    assert not preview.context.get("errors"), preview.context.get("errors")
    assert len(preview.context["preview"]["rows"]) == 20
    response = client.post(reverse("surveys:sheet_import_confirm", args=[assignment.pk]))
    assert response.status_code == 302
    sheet = StarSelfAssessment.objects.get(assignment=assignment)
    assert sheet.yes_count == 18
    assert sorted(
        StarAnswer.objects.filter(assessment=sheet, answer="no").values_list(
            "indicator__number", flat=True
        )
    ) == [4, 15]
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.DRAFT


def test_a_partly_answered_template_imports_as_a_draft(personas, assignment):
    client = personas.client("secretary_a")
    filled = answer_all(template(personas, assignment), {**ANSWERS, 7: None, 8: None})
    assert not upload(client, assignment, filled).context.get("errors")
    client.post(reverse("surveys:sheet_import_confirm", args=[assignment.pk]))
    assert StarSelfAssessment.objects.get(assignment=assignment).yes_count == 16


def test_indicator_text_in_the_file_is_not_read(personas, assignment):
    """The rows are matched by dimension and number; an edited text changes nothing."""
    client = personas.client("secretary_a")

    def retype(wb, ws):
        ws.cell(first_data_row(ws), column_of(ws, "Indicator")).value = "改过的指标"

    filled = edit(answer_all(template(personas, assignment), ANSWERS), retype)
    assert not upload(client, assignment, filled).context.get("errors")
    client.post(reverse("surveys:sheet_import_confirm", args=[assignment.pk]))
    assert Indicator.objects.filter(text="改过的指标").count() == 0
    assert StarSelfAssessment.objects.get(assignment=assignment).answers.count() == 20


def test_a_row_under_the_wrong_dimension_is_refused(personas, assignment):
    client = personas.client("secretary_a")

    def move(wb, ws):
        ws.cell(first_data_row(ws), column_of(ws, "Dimension")).value = "Role played strong"

    response = upload(
        client, assignment, edit(answer_all(template(personas, assignment), ANSWERS), move)
    )
    [error] = response.context["errors"]
    assert (error.column, error.message) == (
        "Dimension",
        "Indicator 1 belongs to “Political function strong”.",
    )
    assert "preview" not in response.context
    assert not StarSelfAssessment.objects.filter(assignment=assignment).exists()


def test_the_form_page_marks_placeholder_and_veto_indicators(personas, assignment):
    indicator_set = current_set(personas.tree["committee"], 2022)
    Indicator.objects.filter(indicator_set=indicator_set, number=20).update(is_veto=True)
    html = personas.client("secretary_a").get(detail(assignment)).content.decode()
    assert html.count('<span class="badge text-bg-warning">placeholder</span>') >= 20
    assert html.count('<span class="badge text-bg-danger">veto</span>') == 1


def test_blank_branch_facts_in_the_file_keep_the_branch_s_records(personas, assignment):
    branch = personas.tree["branch_a"]
    branch.founded_on, branch.last_election_on = date(2015, 3, 1), date(2021, 6, 18)
    branch.save(update_fields=["founded_on", "last_election_on"])
    client = personas.client("secretary_a")
    upload(client, assignment, answer_all(template(personas, assignment), ANSWERS))
    client.post(reverse("surveys:sheet_import_confirm", args=[assignment.pk]))
    sheet = StarSelfAssessment.objects.get(assignment=assignment)
    assert (sheet.founded_on, sheet.last_election_on) == (date(2015, 3, 1), date(2021, 6, 18))
