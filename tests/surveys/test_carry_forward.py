"""Start this year's rectification list or brand plan from last year's with one click."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.models import BrandMeasure, BrandPlan, RectificationItem, RectificationList
from tasks.models import Assignment, AssignmentStatus
from tests.builders.kind_fills import FILL
from tests.builders.surveys import filled_rectification
from tests.builders.tasks import form_assignment

pytestmark = pytest.mark.django_db


def carry(client, assignment):
    return client.post(reverse("surveys:sheet_carry_forward", args=[assignment.pk]), follow=True)


def test_rectification_continues_the_open_items(personas):
    last_year = form_assignment(personas, "rectification", year=2021)
    sheet = filled_rectification(last_year, 3)
    sheet.rows.filter(position=2).update(status="closed", evidence="记录")
    this_year = form_assignment(personas, "rectification")
    response = carry(personas.client("secretary_a"), this_year)
    assert "Started from last year" in response.content.decode()
    copied = RectificationList.objects.get(assignment=this_year)
    assert [(r.position, r.problem) for r in copied.rows.all()] == [(1, "问题1"), (2, "问题3")]
    assert copied.notes == sheet.notes
    assert RectificationItem.objects.filter(sheet=sheet).count() == 3  # last year's unchanged
    assert Assignment.objects.get(pk=this_year.pk).status == AssignmentStatus.DRAFT


def test_brand_plan_copies_header_and_measures(personas):
    last_year = form_assignment(personas, "brand_plan", year=2021)
    FILL["brand_plan"](last_year)
    this_year = form_assignment(personas, "brand_plan")
    carry(personas.client("secretary_a"), this_year)
    plan = BrandPlan.objects.get(assignment=this_year)
    assert plan.brand_name == "红心向党" and plan.rows.count() == 2
    assert BrandMeasure.objects.count() == 4


def test_only_an_empty_form_and_only_with_an_earlier_year(personas):
    this_year = form_assignment(personas, "rectification")
    client = personas.client("secretary_a")
    assert "no form of an earlier year" in carry(client, this_year).content.decode()
    form_assignment(personas, "rectification", year=2021)
    filled_rectification(this_year, 1)
    assert "already has rows" in carry(client, this_year).content.decode()
    assert RectificationItem.objects.filter(sheet__assignment=this_year).count() == 1


def test_other_branch_and_submitted_forms(personas):
    this_year = form_assignment(personas, "rectification")
    assert carry(personas.client("secretary_b"), this_year).status_code == 404
    Assignment.objects.filter(pk=this_year.pk).update(status=AssignmentStatus.SUBMITTED)
    assert (
        "can no longer be changed"
        in carry(personas.client("secretary_a"), this_year).content.decode()
    )


def test_the_button_is_on_the_form(personas):
    this_year = form_assignment(personas, "brand_plan")
    page = personas.client("secretary_a").get(
        reverse("tasks:assignment_detail", args=[this_year.pk])
    )
    assert 'id="sheet-carry-forward"' in page.content.decode()
