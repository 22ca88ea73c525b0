"""The star self-assessment import checks every header, footer and row value by the model's
rules before anything is kept: the preview names the row and column, confirm never fails."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ratings.models import StarAnswer, StarSelfAssessment
from ratings.self_assessment import StarSelfAssessmentExporter as Exporter
from tests.builders.kind_fills import FILL
from tests.builders.tasks import form_assignment
from tests.extreme_values import (
    HEAVY_EXAMPLES,
    assert_not_server_error,
    cell_values,
    need_postgresql,
    one_example,
)
from tests.surveys.badfiles import edit, first_data_row

pytestmark = pytest.mark.django_db

KIND = "star_self_assessment"
HEADER_KEYS = [c.key for c in Exporter.header_columns]
FOOTER_KEYS = [c.key for c in Exporter.footer_columns]


@pytest.fixture
def good(personas):
    """The export of branch B's filled sheet, the file the tests alter."""
    source = form_assignment(personas, KIND, branch="branch_b")
    FILL[KIND](source)
    response = personas.client("secretary_b").get(reverse("surveys:sheet_export", args=[source.pk]))
    return b"".join(response.streaming_content)


@pytest.fixture
def target(personas):
    return form_assignment(personas, KIND)


def set_field(data: bytes, key: str, value) -> bytes:
    """The file with the header or footer value ``key`` replaced (value cells are column B)."""

    def change(wb, ws):
        if key in HEADER_KEYS:
            row = 3 + HEADER_KEYS.index(key)
        else:
            row = ws.max_row - len(FOOTER_KEYS) + 1 + FOOTER_KEYS.index(key)
        ws.cell(row, 2).value = value

    return edit(data, change)


def set_cell(data: bytes, column: int, value) -> bytes:
    return edit(data, lambda wb, ws: setattr(ws.cell(first_data_row(ws), column), "value", value))


def post(client, target, data: bytes):
    file = io.BytesIO(data)
    file.name = "自评表.xlsx"
    preview = client.post(reverse("surveys:sheet_import", args=[target.pk]), {"file": file})
    confirm = client.post(reverse("surveys:sheet_import_confirm", args=[target.pk]))
    return preview, confirm


@pytest.mark.parametrize(
    ("key", "value", "row", "column"),
    [
        ("full_members", -5, 6, "Full members"),
        ("full_members", 10**20, 6, "Full members"),
        ("probationary_members", 2**31, 7, "Probationary members"),
        ("secretary", "书" * 200, 4, "Secretary"),
    ],
)
def test_out_of_range_header_values_are_shown_by_row_and_nothing_is_saved(
    personas, good, target, key, value, row, column
):
    client = personas.client("secretary_a")
    preview, confirm = post(client, target, set_field(good, key, value))
    assert preview.status_code == 200
    errors = preview.context["errors"]
    assert [(e.row, e.column) for e in errors] == [(row, column)], errors
    assert "import-preview" not in preview.content.decode()
    assert confirm.status_code == 302
    assert not StarSelfAssessment.objects.filter(assignment=target).exists()


def test_evidence_over_the_limit_is_refused(personas, good, target):
    client = personas.client("secretary_a")
    preview, _confirm = post(client, target, set_cell(good, 5, "证" * 2001))
    assert [e.column for e in preview.context["errors"]] == ["Evidence"]
    assert not StarAnswer.objects.filter(assessment__assignment=target).exists()


def test_a_date_beyond_the_window_is_refused(personas, good, target):
    preview, _confirm = post(
        personas.client("secretary_a"), target, set_field(good, "meeting_date", "9999-12-31")
    )
    assert [e.column for e in preview.context["errors"]] == ["Committee meeting date"]
    assert not StarSelfAssessment.objects.filter(assignment=target).exists()


@pytest.mark.postgres
@HEAVY_EXAMPLES
@given(
    key=st.sampled_from(
        ["secretary", "committee_members", "full_members", "probationary_members", "founded_on"]
        + ["last_election_on", "self_star", "gaps", "meeting_date"]
    ),
    value=cell_values,
)
def test_any_header_or_footer_value_never_fails_the_import(personas, good, target, key, value):
    need_postgresql()
    with one_example():
        client = personas.client("secretary_a")
        preview, confirm = post(client, target, set_field(good, key, value))
        assert_not_server_error(preview, (key, value))
        assert_not_server_error(confirm, (key, value))
        saved = StarSelfAssessment.objects.filter(assignment=target).first()
        if preview.context.get("errors"):
            assert saved is None
        elif saved is not None:
            saved.full_clean(exclude=["assignment", "indicator_set"])


@pytest.mark.postgres
@HEAVY_EXAMPLES
@given(column=st.integers(min_value=1, max_value=5), value=cell_values)
def test_any_row_value_never_fails_the_import(personas, good, target, column, value):
    need_postgresql()
    with one_example():
        client = personas.client("secretary_a")
        preview, confirm = post(client, target, set_cell(good, column, value))
        assert_not_server_error(preview, (column, value))
        assert_not_server_error(confirm, (column, value))
        if preview.context.get("errors"):
            assert not StarSelfAssessment.objects.filter(assignment=target).exists()
