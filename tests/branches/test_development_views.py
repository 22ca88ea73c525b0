"""Development pages: an applicant under 18 refused with a message, a step recorded."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branches.models import DevelopmentCase
from tests.bounds import docx_bomb, within_bounds
from tests.builders.branch_life import applicant_case

pytestmark = pytest.mark.django_db


def test_under_18_is_refused_with_a_message(personas):
    url = reverse("branches:branch_development_case_create", args=[personas.tree["branch_a"].pk])
    response = personas.client("secretary_a").post(
        url, {"name": "少年", "birth_date": "2006-01-01", "date": "2022-10-01"}
    )
    assert response.status_code == 200 and "18" in response.content.decode()
    assert not DevelopmentCase.objects.exists()


def test_next_step_recorded_and_pipeline_lists_it(personas):
    case = applicant_case(personas.tree["branch_a"])
    client = personas.client("secretary_a")
    response = client.post(
        reverse("branches:branch_development_case", args=[case.pk]),
        {"date": "2020-03-10", "actor": "甲书记"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.last_step.code == "talk"
    assert (
        "申请人"
        in client.get(
            reverse("branches:branch_development", args=[case.branch_id])
        ).content.decode()
    )
    assert personas.client("office").get(reverse("branches:office_development")).status_code == 200


def test_zip_bomb_document_is_refused_quickly(personas):
    case = applicant_case(personas.tree["branch_a"])
    client = personas.client("secretary_a")

    def post():
        upload = SimpleUploadedFile("谈话记录.docx", docx_bomb())
        data = {"date": "2020-03-10", "actor": "甲书记", "document": upload}
        return client.post(reverse("branches:branch_development_case", args=[case.pk]), data)

    response = within_bounds(post)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"document"}
    case.refresh_from_db()
    assert case.last_step.code == "application"


def test_step_before_previous_is_refused(personas):
    case = applicant_case(personas.tree["branch_a"])
    response = personas.client("secretary_a").post(
        reverse("branches:branch_development_case", args=[case.pk]), {"date": "2020-01-01"}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.last_step.code == "application"


def test_pipeline_export(personas):
    applicant_case(personas.tree["branch_a"])
    response = personas.client("committee").get(
        reverse("branches:branch_development", args=[personas.tree["branch_a"].pk]) + "?format=xlsx"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxml"
    )
