"""Roster pages: masked phones for readers, add, move, status, Excel import with preview."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from branches.exporters import RosterExporter
from branches.models import Person, PersonStatus, RelationCase
from portal.xlsx import write_xlsx
from tests.bounds import with_cell, within_bounds, xlsx_bomb

pytestmark = pytest.mark.django_db


def test_readers_see_masked_phones_editors_full(personas):
    url = reverse("branches:branch_roster", args=[personas.tree["branch_a"].pk])
    assert "139****5678" in personas.client("committee").get(url).content.decode()
    assert "13912345678" in personas.client("secretary_a").get(url).content.decode()
    assert "13912345678" not in personas.client("regional").get(url).content.decode()


def test_secretary_adds_and_moves_a_person(personas):
    client = personas.client("secretary_a")
    branch_a, branch_b = personas.tree["branch_a"], personas.tree["branch_b"]
    client.post(
        reverse("branches:branch_person_add", args=[branch_a.pk]),
        {"name": "新党员", "member_type": "full", "phone": ""},
    )
    person = Person.objects.get(name="新党员")
    assert person.branch == branch_a
    response = client.post(
        reverse("branches:branch_person_move", args=[person.pk]),
        {"branch": branch_b.pk, "day": "2022-10-20", "letter_number": "7"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (
        person.branch == branch_b
        and RelationCase.objects.get(person=person).destination == branch_b.name
    )
    # Now out of secretary A's branch: 404.
    assert client.get(reverse("branches:branch_person_edit", args=[person.pk])).status_code == 404


def test_mark_deceased(personas):
    person = Person.objects.create(name="老党员", branch=personas.tree["branch_a"])
    personas.client("secretary_a").post(
        reverse("branches:branch_person_status", args=[person.pk]), {"status": "deceased"}
    )
    assert Person.objects.get(pk=person.pk).status == PersonStatus.DECEASED


def _workbook(rows) -> io.BytesIO:
    people = [Person(**row) for row in rows]
    data = write_xlsx(RosterExporter(people))
    handle = io.BytesIO(data)
    handle.name = "roster.xlsx"
    return handle


def test_import_preview_then_confirm(personas):
    client = personas.client("office")
    branch = personas.tree["branch_b"]
    url = reverse("branches:branch_roster_import", args=[branch.pk])
    upload = _workbook(
        [
            {"name": "导入甲", "member_type": "full"},
            {"name": "导入乙", "member_type": "probationary"},
        ]
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and "import-preview" in response.content.decode()
    assert not Person.objects.filter(name="导入甲").exists()
    client.post(reverse("branches:branch_roster_import_confirm", args=[branch.pk]))
    assert Person.objects.filter(branch=branch, name__in=["导入甲", "导入乙"]).count() == 2


def test_import_with_an_error_row_saves_nothing(personas):
    client = personas.client("office")
    branch = personas.tree["branch_b"]
    Person.objects.create(name="已在册", branch=branch)
    upload = _workbook(
        [{"name": "导入丙", "member_type": "full"}, {"name": "已在册", "member_type": "full"}]
    )
    response = client.post(
        reverse("branches:branch_roster_import", args=[branch.pk]), {"file": upload}
    )
    body = response.content.decode()
    assert "import-errors" in body and "import-preview" not in body
    client.post(reverse("branches:branch_roster_import_confirm", args=[branch.pk]))
    assert not Person.objects.filter(name="导入丙").exists()


def test_template_downloads(personas):
    response = personas.client("office").get(
        reverse("branches:branch_roster_template", args=[personas.tree["branch_a"].pk])
    )
    sheet = load_workbook(
        io.BytesIO(
            b"".join(response.streaming_content if response.streaming else [response.content])
        )
    ).active
    assert [c.value for c in sheet[3]][:2] == [
        str(RosterExporter.columns[0].header),
        str(RosterExporter.columns[1].header),
    ]


@pytest.mark.parametrize("coordinate", ["A1048576", "A200000", "XFD5"])
def test_import_refuses_a_value_outside_the_template_quickly_naming_the_cell(personas, coordinate):
    client = personas.client("office")
    branch = personas.tree["branch_b"]
    template = client.get(reverse("branches:branch_roster_template", args=[branch.pk])).content
    handle = io.BytesIO(with_cell(template, coordinate))
    handle.name = "roster.xlsx"

    def post():
        handle.seek(0)
        return client.post(
            reverse("branches:branch_roster_import", args=[branch.pk]),
            {"file": handle},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    response = within_bounds(post)
    errors = " ".join(str(e) for e in response.context["errors"])
    assert coordinate in errors and "outside the template" in errors
    assert "import-preview" not in response.content.decode()


def test_import_refuses_a_zip_bomb_quickly(personas):
    client = personas.client("office")
    branch = personas.tree["branch_b"]
    template = client.get(reverse("branches:branch_roster_template", args=[branch.pk])).content
    handle = io.BytesIO(xlsx_bomb(template))
    handle.name = "roster.xlsx"

    def post():
        handle.seek(0)
        return client.post(
            reverse("branches:branch_roster_import", args=[branch.pk]), {"file": handle}
        )

    response = within_bounds(post)
    assert response.context["errors"] and "import-preview" not in response.content.decode()
