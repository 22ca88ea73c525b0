"""The row imports of the attachment forms (rectification, service survey, brand plan) check
every cell by the model's rules: any value gives a preview or errors by row and column, never a
server error, and nothing is saved when a row is refused."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tasks.kinds import get_kind
from tests.builders.kind_fills import DATE_COLUMN, FILL
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

ROW_KINDS = ["rectification", "service_survey", "brand_plan"]


@pytest.fixture(params=ROW_KINDS)
def kind(request):
    return request.param


@pytest.fixture
def good(personas, kind):
    source = form_assignment(personas, kind, branch="branch_b")
    FILL[kind](source)
    response = personas.client("secretary_b").get(reverse("surveys:sheet_export", args=[source.pk]))
    return b"".join(response.streaming_content)


@pytest.fixture
def target(personas, kind):
    return form_assignment(personas, kind)


def set_cell(data: bytes, column: int, value) -> bytes:
    """The file with the first data row's cell of ``column`` (1-based) replaced."""
    return edit(data, lambda wb, ws: setattr(ws.cell(first_data_row(ws), column), "value", value))


def post(client, target, data: bytes):
    file = io.BytesIO(data)
    file.name = "表.xlsx"
    preview = client.post(reverse("surveys:sheet_import", args=[target.pk]), {"file": file})
    confirm = client.post(reverse("surveys:sheet_import_confirm", args=[target.pk]))
    return preview, confirm


def test_a_date_beyond_the_window_is_named_by_row_and_column(personas, kind, good, target):
    exporter_cls = get_kind(kind).exporter_class
    column = next(i for i, c in enumerate(exporter_cls.columns, 1) if c.kind == "date")
    preview, _confirm = post(
        personas.client("secretary_a"), target, set_cell(good, column, "9999-12-31")
    )
    errors = preview.context["errors"]
    assert [(e.row, e.column) for e in errors] == [
        (4 + len(exporter_cls.header_columns), DATE_COLUMN[kind])
    ]
    assert get_kind(kind).get_sheet(target) is None


def test_a_text_over_the_model_limit_is_named_by_row_and_column(personas, kind, good, target):
    """Text fields whose limit Django only puts on the form are checked on import too."""
    model = get_kind(kind).row_model
    columns = get_kind(kind).exporter_class.columns
    index, column = next(
        (i, c)
        for i, c in enumerate(columns, 1)
        if c.key != "position" and model._meta.get_field(c.key).get_internal_type() == "TextField"
    )
    limit = model._meta.get_field(column.key).max_length
    preview, _confirm = post(
        personas.client("secretary_a"), target, set_cell(good, index, "字" * (limit + 1))
    )
    assert [e.column for e in preview.context["errors"]] == [str(column.header)]
    assert get_kind(kind).get_sheet(target) is None


@pytest.mark.postgres
@HEAVY_EXAMPLES
@given(index=st.integers(min_value=0, max_value=40), value=cell_values)
def test_any_cell_value_never_fails_the_import(personas, kind, good, target, index, value):
    need_postgresql()
    with one_example():
        column = 1 + index % len(get_kind(kind).exporter_class.columns)
        preview, confirm = post(
            personas.client("secretary_a"), target, set_cell(good, column, value)
        )
        assert_not_server_error(preview, (column, value))
        assert_not_server_error(confirm, (column, value))
        sheet = get_kind(kind).get_sheet(target)
        if preview.context.get("errors"):
            assert sheet is None
        elif sheet is not None:
            for row in sheet.rows.all():
                row.full_clean(exclude=["sheet"])
