"""Relation-case pages: a disposition without its date refused; office list with filters."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from branches.models import RelationCase, RelationKind

pytestmark = pytest.mark.django_db


def test_disposition_without_its_date_is_refused(personas):
    branch = personas.tree["branch_a"]
    url = reverse("branches:branch_relation_case_create", args=[branch.pk])
    data = {
        "person": personas.people["member"].pk,
        "kind": "lost_contact",
        "opened_on": "2022-10-01",
        "disposition": "struck_off",
        "disposition_meeting_on": "2022-10-05",
    }
    response = personas.client("secretary_a").post(url, data)
    assert response.status_code == 200 and not RelationCase.objects.exists()
    data["disposition_approved_on"] = "2022-10-20"
    assert personas.client("secretary_a").post(url, data).status_code == 302


def test_office_list_filters_and_flags(personas):
    RelationCase.objects.create(
        person=personas.people["member"],
        branch=personas.tree["branch_a"],
        kind=RelationKind.ABROAD,
        opened_on=date(2020, 1, 1),
        last_contact_on=date(2020, 1, 1),
    )
    client = personas.client("office")
    body = client.get(reverse("branches:office_relations") + "?flagged=1").content.decode()
    assert "普通党员" in body and 'data-flag="abroad_contact"' in body
    assert (
        "普通党员"
        not in client.get(reverse("branches:office_relations") + "?kind=pocket").content.decode()
    )
    assert client.get(reverse("branches:office_relations") + "?format=xlsx").status_code == 200


def test_attempt_recorded(personas):
    case = RelationCase.objects.create(
        person=personas.people["member"],
        branch=personas.tree["branch_a"],
        kind=RelationKind.LOST_CONTACT,
        opened_on=date(2022, 1, 1),
    )
    personas.client("secretary_a").post(
        reverse("branches:branch_relation_attempt_add", args=[case.pk]),
        {"day": "2022-10-01", "method": "电话", "result": "接通", "reached": "on"},
    )
    case.refresh_from_db()
    assert case.last_contact_on == date(2022, 10, 1)
