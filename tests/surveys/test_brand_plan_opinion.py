"""党委意见 on a brand plan: the office writes it at review; the branch reads it and can set it
neither in its form nor by importing a file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditEntry
from surveys.audit_actions import ACTION_BRAND_PLAN_OPINION
from surveys.models import BrandPlan
from surveys.sheets.brand_plan import BrandPlanKind
from tasks.models import Assignment, AssignmentStatus
from tests.builders.surveys import submitted_brand_plan
from tests.builders.tasks import form_assignment
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture(autouse=True)
def _english_pages(settings):
    settings.LANGUAGE_CODE = "en"


def _url(plan: BrandPlan) -> str:
    return reverse("surveys:brand_plan_opinion", args=[plan.assignment_id])


def test_the_office_records_the_committee_opinion(personas):
    plan = submitted_brand_plan(form_assignment(personas, "brand_plan"))
    response = personas.client("office").post(_url(plan), {"committee_opinion": " 同意 "})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.committee_opinion == "同意"
    entry = AuditEntry.objects.get(action=ACTION_BRAND_PLAN_OPINION)
    assert entry.data["opinion"] == "同意"
    # The branch reads it on its task page.
    page = personas.client("secretary_a").get(
        reverse("tasks:assignment_detail", args=[plan.assignment_id])
    )
    assert "同意" in page.content.decode()
    assert _url(plan) not in page.content.decode()


def test_the_reviewing_office_sees_the_form(personas):
    plan = submitted_brand_plan(form_assignment(personas, "brand_plan"))
    page = personas.client("office").get(
        reverse("tasks:assignment_detail", args=[plan.assignment_id])
    )
    assert _url(plan) in page.content.decode()


@pytest.mark.parametrize("persona", ["secretary_a", "committee", "member"])
def test_nobody_else_writes_it(personas, persona):
    plan = submitted_brand_plan(form_assignment(personas, "brand_plan"))
    response = personas.client(persona).post(_url(plan), {"committee_opinion": "同意"})
    assert response.status_code == 404
    plan.refresh_from_db()
    assert plan.committee_opinion == ""


def test_a_draft_takes_no_opinion(personas):
    plan = submitted_brand_plan(form_assignment(personas, "brand_plan"))
    Assignment.objects.filter(pk=plan.assignment_id).update(status=AssignmentStatus.DRAFT)
    assert personas.client("office").post(_url(plan), {"committee_opinion": "x"}).status_code == 404


def test_an_over_long_opinion_is_refused_with_a_message(personas):
    plan = submitted_brand_plan(form_assignment(personas, "brand_plan"))
    response = personas.client("office").post(
        _url(plan), {"committee_opinion": "长" * 2001}, follow=True
    )
    assert "The committee opinion was not saved" in response.content.decode()
    plan.refresh_from_db()
    assert plan.committee_opinion == ""


def test_the_branch_form_and_import_leave_the_opinion_alone(personas):
    assignment = form_assignment(personas, "brand_plan")
    plan = submitted_brand_plan(assignment, committee_opinion="同意")
    kind = BrandPlanKind()
    assert "committee_opinion" not in kind.form(assignment).header.fields
    kind.apply_import(assignment, [], fields={"committee_opinion": "支部自己写的", "slogan": "新"})
    plan.refresh_from_db()
    assert plan.committee_opinion == "同意" and plan.slogan == "新"
    assert kind.check_fields({"committee_opinion": "长" * 3000}) == []
    # The workbook shows the committee's opinion beside the branch's fields.
    assert ("Committee opinion", "同意") in [
        (str(label), value) for label, value in kind.exporter(assignment).footer_fields()
    ]
