"""The development_report kind: a snapshot of the branch's pipeline is kept with the submission."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from branches.models import ReportSnapshot
from tasks.kinds import get_kind
from tasks.models import Assignment, AssignmentStatus
from tests.builders.branch_life import advance, applicant_case
from tests.builders.tasks import assignment_of, published_item

pytestmark = pytest.mark.django_db


def test_kind_is_registered():
    assert get_kind("development_report").key == "development_report"


def test_submission_keeps_the_pipeline_as_it_was(personas):
    branch = personas.tree["branch_a"]
    case = applicant_case(branch, applied=date(2022, 9, 1))
    item = published_item(
        personas.tree["committee"], kind="development_report", title="发展党员情况"
    )
    assignment = assignment_of(item, branch)
    url = reverse("tasks:assignment_detail", args=[assignment.pk])
    response = personas.client("secretary_a").post(
        url, {"version": assignment.version, "notes": "按计划推进", "action": "submit"}
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(pk=assignment.pk)
    assert assignment.status == AssignmentStatus.SUBMITTED
    snapshot = ReportSnapshot.objects.get(
        subject="development", reference=f"assignment:{assignment.pk}"
    )
    assert [row["person"] for row in snapshot.data["cases"]] == ["申请人"]
    assert "申请人" in assignment.report_text and "按计划推进" in assignment.report_text
    # The case moves on; the stored report does not.
    advance(case, "talk", date(2022, 9, 10))
    snapshot.refresh_from_db()
    assert snapshot.data["cases"][0]["next_step"].endswith("党组织派人谈话")
    assert "1" in get_kind("development_report").summary(assignment)
