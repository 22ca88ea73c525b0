"""The relation_report kind: the branch's open cases, or "none found, checked on <date>"."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from branches.models import RelationCase, RelationKind, ReportSnapshot
from tasks.kinds import get_kind
from tasks.models import Assignment, AssignmentStatus, local_today
from tests.builders.tasks import assignment_of, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


def _submit(personas):
    item = published_item(
        personas.tree["committee"], kind="relation_report", title="党员组织关系排查"
    )
    assignment = assignment_of(item, personas.tree["branch_a"])
    url = reverse("tasks:assignment_detail", args=[assignment.pk])
    personas.client("secretary_a").post(
        url, {"version": assignment.version, "notes": "", "action": "submit"}
    )
    return Assignment.objects.get(pk=assignment.pk)


def test_none_found_is_reported_with_the_date(personas):
    assignment = _submit(personas)
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert local_today().isoformat() in assignment.report_text
    assert "None found" in get_kind("relation_report").summary(assignment) or "未发现" in get_kind(
        "relation_report"
    ).summary(assignment)


def test_open_cases_are_listed_and_kept(personas):
    RelationCase.objects.create(
        person=personas.people["member"],
        branch=personas.tree["branch_a"],
        kind=RelationKind.LOST_CONTACT,
        opened_on=date(2022, 1, 1),
        last_contact_on=date(2021, 1, 1),
    )
    assignment = _submit(personas)
    snapshot = ReportSnapshot.objects.get(
        subject="relations", reference=f"assignment:{assignment.pk}"
    )
    assert snapshot.data["cases"][0]["person"] == "普通党员" and snapshot.data["cases"][0]["flags"]
    assert "普通党员" in assignment.report_text
