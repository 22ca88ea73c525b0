"""The dues bases import: preview then confirm; any bad value refuses the whole file, each
problem named by row and column; hostile files are refused as every import refuses them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from branches.models import Person
from dues.audit_actions import ACTION_BASES_IMPORTED
from dues.exporters import DuesBaseExporter
from dues.imports import parse_amount
from dues.models import MonthlyBase
from portal.models import AuditEntry
from tests.bounds import within_bounds, xlsx_bomb
from tests.builders.dues import bases_file

pytestmark = pytest.mark.django_db

JAN = date(2025, 1, 1)


@pytest.fixture
def roster(personas):
    branch = personas.tree["branch_a"]
    for name in ("王一", "李二", "张三"):
        Person.objects.create(name=name, branch=branch, member_type="full")
    return branch


def _post(client, branch, rows):
    return client.post(
        reverse("dues:bases_import", args=[branch.pk]),
        {"file": bases_file(rows)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_preview_then_confirm_saves_every_row(personas, roster):
    client = personas.client("secretary_a")
    response = _post(
        client,
        roster,
        [
            ("王一", None, "in_service", "4500.50", JAN),
            ("李二", None, "student", None, JAN),
            ("张三", None, "retired", 5000, date(2025, 7, 15)),
        ],
    )
    assert "import-preview" in response.content.decode()
    assert not MonthlyBase.objects.exists()
    client.post(reverse("dues:bases_import_confirm", args=[roster.pk]))
    saved = {
        (b.person.name, b.effective_from, b.category, b.amount)
        for b in MonthlyBase.objects.select_related("person")
    }
    assert saved == {
        ("王一", JAN, "in_service", Decimal("4500.50")),
        ("李二", JAN, "student", None),
        ("张三", date(2025, 7, 1), "retired", Decimal("5000.00")),
    }
    assert AuditEntry.objects.filter(action=ACTION_BASES_IMPORTED).count() == 1


def test_bad_values_are_refused_row_by_row_and_nothing_is_saved(personas, roster):
    client = personas.client("secretary_a")
    response = _post(
        client,
        roster,
        [
            ("王一", None, "in_service", "4500", JAN),  # row 4: good
            ("李二", None, "in_service", "四千", JAN),  # 5: not a number
            ("张三", None, "in_service", "-5", JAN),  # 6: negative
            ("王一", None, "in_service", "4000.123", date(2025, 2, 1)),  # 7: three decimals
            ("李二", None, "in_service", None, date(2025, 2, 1)),  # 8: base missing
            ("赵四", None, "in_service", "4000", JAN),  # 9: not on the roster
            ("王一", None, "in_service", "4600", JAN),  # 10: same member and month again
            ("张三", None, "in_service", "9999999", date(2025, 2, 1)),  # 11: too large
        ],
    )
    errors = [str(e) for e in response.context["errors"]]
    assert [e.row for e in response.context["errors"]] == [5, 6, 7, 8, 9, 10, 11]
    assert "Row 5, Monthly base (yuan): 四千 is not an amount of yuan." in errors
    assert any(e.startswith("Row 6, Monthly base (yuan): The monthly base must be") for e in errors)
    assert any(e.startswith("Row 7, Monthly base") and "two decimal" in e for e in errors)
    assert "Row 8, Monthly base (yuan): Enter the monthly base for this category." in errors
    assert any(e.startswith("Row 9, Name:") for e in errors)
    assert any(e.startswith("Row 10, Name:") and "twice" in e for e in errors)
    assert "import-preview" not in response.content.decode()
    client.post(reverse("dues:bases_import_confirm", args=[roster.pk]))
    assert not MonthlyBase.objects.exists()


def test_cell_errors_name_their_row_and_column(personas, roster):
    response = _post(
        personas.client("secretary_a"),
        roster,
        [("王一", None, "干部", "4500", JAN), ("李二", None, "in_service", "4500", None)],
    )
    errors = [str(e) for e in response.context["errors"]]
    assert any(e.startswith("Row 4, Dues category:") for e in errors)
    assert any(e.startswith("Row 5, From month:") for e in errors)
    assert not MonthlyBase.objects.exists()


def test_two_members_of_one_name_need_the_date_of_birth(personas, roster):
    Person.objects.filter(name="王一").update(birth_date=date(1980, 1, 1))
    Person.objects.create(
        name="王一", branch=roster, member_type="full", birth_date=date(1990, 5, 5)
    )
    client = personas.client("secretary_a")
    response = _post(client, roster, [("王一", None, "in_service", "4500", JAN)])
    assert "Row 4, Name: Two members have this name" in str(response.context["errors"][0])
    response = _post(client, roster, [("王一", date(1990, 5, 5), "in_service", "4500", JAN)])
    assert "import-preview" in response.content.decode()


def test_the_template_has_the_import_columns(personas, roster):
    response = personas.client("secretary_a").get(
        reverse("dues:bases_template", args=[roster.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[3]] == [str(c.header) for c in DuesBaseExporter.columns]


def test_a_zip_bomb_is_refused_quickly(personas, roster):
    client = personas.client("secretary_a")
    template = client.get(reverse("dues:bases_template", args=[roster.pk])).content
    handle = io.BytesIO(xlsx_bomb(template))
    handle.name = "bases.xlsx"

    def post():
        handle.seek(0)
        return client.post(reverse("dues:bases_import", args=[roster.pk]), {"file": handle})

    response = within_bounds(post)
    assert response.context["errors"] and not MonthlyBase.objects.exists()


@pytest.mark.parametrize(
    ("text", "value"),
    [("4500", "4500.00"), ("4,500.5", "4500.50"), ("¥ 3000", "3000.00"), ("", None)],
)
def test_amounts_as_people_type_them(text, value):
    assert parse_amount(text) == (Decimal(value) if value else None)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "1e400", "abc", "3000.001", "-0.01"])
def test_amounts_that_are_not_amounts(text):
    with pytest.raises(ValueError):
        parse_amount(text)
