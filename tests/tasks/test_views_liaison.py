"""The 三会一课 self-check (item 五(三)): the secretary confirms the computed compliance with
remarks, the branch's liaison committee member acknowledges it, the office sees it, and nobody
else may acknowledge (404)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from branches.models import MeetingRecord, MeetingType, Organisation, OrgKind, RoleKind
from portal.models import AuditEntry
from tasks import services
from tasks.errors import TransitionNotAllowed
from tasks.kinds.compliance_self_check import summary_of
from tasks.models import Assignment, AssignmentStatus, local_today
from tests.builders.branches import make_person
from tests.builders.tasks import assignment_of, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = pytest.mark.clock(at=WORKDAY_MORNING)


@pytest.fixture(autouse=True)
def _english_pages(settings):
    """These tests read the pages' English msgids (the Chinese comes from the catalogue)."""
    settings.LANGUAGE_CODE = "en"


KIND = "compliance_self_check"


def _committee_of(branch: Organisation) -> Organisation:
    return Organisation.objects.get_ancestors(branch).filter(kind=OrgKind.COMMITTEE).last()


def submitted_self_check(branch: Organisation) -> Assignment:
    """A self-check item published to the branch's committee, handed in by the branch."""
    item = published_item(_committee_of(branch), kind=KIND, title="“三会一课”自查")
    assignment = assignment_of(item, branch)
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.SUBMITTED, report_text="自查完成，第一季度党课已补上。"
    )
    assignment.refresh_from_db()
    return assignment


def _detail(a) -> str:
    return reverse("tasks:assignment_detail", args=[a.pk])


def _ack(a) -> str:
    return reverse("tasks:assignment_acknowledge", args=[a.pk])


def test_the_secretary_confirms_the_computed_compliance_with_remarks(personas):
    branch = personas.tree["branch_a"]
    MeetingRecord.objects.create(
        branch=branch,
        meeting_type=MeetingType.COMMITTEE_MEETING,
        theme="支委会",
        date=local_today(),
        due_count=5,
        present_count=5,
    )
    item = published_item(personas.tree["committee"], kind=KIND)
    a = assignment_of(item, branch)
    client = personas.client("secretary_a")
    page = client.get(_detail(a)).content.decode()
    assert 'id="self-check-compliance"' in page and "periods met" in page
    assert 'name="report_text"' in page
    assert summary_of(a)["gaps"], "mid-June: the months before passed without meetings"
    response = client.post(
        _detail(a), {"version": a.version, "report_text": "", "action": "submit"}
    )
    a.refresh_from_db()
    assert a.status == AssignmentStatus.PENDING
    assert "explain them in the remarks" in response.content.decode()
    data = {
        "version": a.version,
        "report_text": "一季度党课未开，已于六月补课。",
        "action": "submit",
    }
    client.post(_detail(a), data)
    a.refresh_from_db()
    assert a.status == AssignmentStatus.SUBMITTED and "补课" in a.report_text


def test_the_liaison_member_acknowledges_and_the_office_sees_it(personas):
    a = submitted_self_check(personas.tree["branch_a"])
    liaison = personas.client("committee")  # branch A's liaison committee member
    page = liaison.get(_detail(a)).content.decode()
    assert 'id="acknowledge"' in page
    response = liaison.post(_ack(a), {"comment": "已听取汇报。"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == AssignmentStatus.APPROVED and a.review_comment == "已听取汇报。"
    entry = AuditEntry.objects.get(action="tasks.assignment.acknowledged")
    assert entry.user == personas.people["committee"].user
    office_page = personas.client("office").get(_detail(a)).content.decode()
    assert "第一季度党课已补上" in office_page and 'id="acknowledged"' in office_page


def test_the_office_sees_but_does_not_review_it(personas):
    a = submitted_self_check(personas.tree["branch_a"])
    page = personas.client("office").get(_detail(a)).content.decode()
    assert reverse("tasks:assignment_review", args=[a.pk]) not in page
    assert 'id="acknowledge"' not in page
    with pytest.raises(TransitionNotAllowed):
        services.approve(a.pk, personas.people["office"].user)
    assert personas.client("office").post(_ack(a)).status_code == 404


def test_another_committee_member_gets_404(personas):
    a = submitted_self_check(personas.tree["branch_a"])
    other = make_person(
        "另一位委员",
        None,
        username="committee_other",
        roles=[(RoleKind.COMMITTEE_MEMBER, personas.tree["committee"])],
    )
    client = Client()
    client.force_login(other.user)
    assert client.post(_ack(a)).status_code == 404
    assert personas.client("secretary_a").post(_ack(a)).status_code == 404
    a.refresh_from_db()
    assert a.status == AssignmentStatus.SUBMITTED
    assert not AuditEntry.objects.filter(action="tasks.assignment.acknowledged").exists()


def test_an_ordinary_report_cannot_be_acknowledged(personas):
    item = published_item(personas.tree["committee"])
    a = assignment_of(item, personas.tree["branch_a"])
    Assignment.objects.filter(pk=a.pk).update(status=AssignmentStatus.SUBMITTED)
    assert personas.client("committee").post(_ack(a)).status_code == 404
