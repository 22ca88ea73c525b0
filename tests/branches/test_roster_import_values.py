"""The roster import checks each person by the model's rules (length of name and phone, e-mail,
dates in the window): the preview names row and column, confirm never fails, nothing is saved."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from branches.exporters import RosterExporter
from branches.models import Person
from portal.xlsx import write_xlsx
from tests.extreme_values import (
    HEAVY_EXAMPLES,
    assert_not_server_error,
    cell_values,
    need_postgresql,
    one_example,
)
from tests.surveys.badfiles import edit, first_data_row

pytestmark = pytest.mark.django_db

COLUMNS = [c.key for c in RosterExporter.columns]


def workbook(**values) -> bytes:
    """A roster of one person ("导入甲", full member) with ``values`` typed into its cells."""
    data = write_xlsx(RosterExporter([Person(name="导入甲", member_type="full")]))

    def change(wb, ws):
        for key, value in values.items():
            ws.cell(first_data_row(ws), COLUMNS.index(key) + 1).value = value

    return edit(data, change)


def post(client, branch, data: bytes):
    file = io.BytesIO(data)
    file.name = "花名册.xlsx"
    preview = client.post(
        reverse("branches:branch_roster_import", args=[branch.pk]), {"file": file}
    )
    confirm = client.post(reverse("branches:branch_roster_import_confirm", args=[branch.pk]))
    return preview, confirm


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "名" * 200),
        ("phone", "1" * 100),
        ("email", "not-an-e-mail"),
        ("birth_date", "9999-12-31"),
        ("joined_on", "0001-01-01"),
    ],
)
def test_a_value_the_model_refuses_is_named_by_row_and_nothing_is_saved(personas, key, value):
    column = str(RosterExporter.columns[COLUMNS.index(key)].header)
    branch = personas.tree["branch_b"]
    before = Person.objects.count()
    preview, confirm = post(personas.client("office"), branch, workbook(**{key: value}))
    assert preview.status_code == 200
    errors = preview.context["errors"]
    assert [(e.row, e.column) for e in errors] == [(4, column)], errors
    assert "import-preview" not in preview.content.decode()
    assert confirm.status_code == 302
    assert Person.objects.count() == before


@pytest.mark.postgres
@HEAVY_EXAMPLES
@given(key=st.sampled_from(COLUMNS), value=cell_values)
def test_any_cell_value_never_fails_the_import(personas, key, value):
    need_postgresql()
    with one_example():
        branch = personas.tree["branch_b"]
        before = Person.objects.count()
        preview, confirm = post(personas.client("office"), branch, workbook(**{key: value}))
        assert_not_server_error(preview, (key, value))
        assert_not_server_error(confirm, (key, value))
        if preview.context.get("errors"):
            assert Person.objects.count() == before
        for person in Person.objects.filter(branch=branch):
            person.full_clean()
