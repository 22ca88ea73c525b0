"""The rectification list in the browser: rows, rules, draft and submit through the workflow."""

from __future__ import annotations

import pytest

from portal.models import AuditEntry
from surveys.models import RectificationItem, RectificationList
from tasks.audit_actions import ACTION_ASSIGNMENT_SUBMITTED
from tasks.models import Assignment, AssignmentStatus
from tests.builders.tasks import form_assignment
from tests.surveys.helpers import detail, rows_post

pytestmark = pytest.mark.django_db

GOOD = {
    "source": "inspection",
    "category": "组织生活",
    "problem": "支委会会议记录不规范",
    "goal": "会议记录规范完整",
    "measures": "统一使用新版支部工作手册记录",
    "owner": "张三",
    "committee_owner": "李四",
    "deadline": "2022-10-31",
    "term": "deadline",
    "progress": "",
    "status": "in_progress",
    "evidence": "",
    "meeting_date": "2022-10-20",
    "remarks": "",
}


@pytest.fixture
def assignment(personas):
    return form_assignment(personas, "rectification")


def test_page_shows_rows_and_toolbar(personas, assignment):
    response = personas.client("secretary_a").get(detail(assignment))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-rows-prefix="rows"' in html
    assert 'name="rows-0-measures"' in html
    assert "portal/rows.js" in html
    assert "sheet-row-template" in html


def test_draft_saves_rows_in_posted_order(personas, assignment):
    rows = [
        {**GOOD, "problem": "第二个问题", "position": "2"},
        {**GOOD, "problem": "第一个问题", "position": "1"},
        # an added row left empty (its selects keep their defaults) is ignored
        {"position": "3", "source": "inspection", "term": "deadline", "status": "not_started"},
    ]
    response = personas.client("secretary_a").post(detail(assignment), rows_post(rows))
    assert response.status_code == 302
    sheet = RectificationList.objects.get(assignment=assignment)
    assert [(r.position, r.problem) for r in sheet.rows.all()] == [
        (1, "第一个问题"),
        (2, "第二个问题"),
    ]
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.DRAFT


def test_missing_measures_owner_deadline_show_next_to_the_row(personas, assignment):
    bad = {**GOOD, "measures": "", "owner": "", "deadline": "", "position": "1"}
    response = personas.client("secretary_a").post(detail(assignment), rows_post([bad]))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.rows.forms[0].errors) == {"measures", "owner", "deadline"}
    assert "border-danger" in response.content.decode()
    assert not RectificationItem.objects.exists()


def test_closed_row_needs_evidence(personas, assignment):
    closed = {**GOOD, "status": "closed", "evidence": "", "position": "1"}
    response = personas.client("secretary_a").post(detail(assignment), rows_post([closed]))
    assert response.status_code == 200
    assert "A closed item needs its evidence." in response.content.decode()
    ok = {**closed, "evidence": "支委会会议记录（2022-10-25）"}
    response = personas.client("secretary_a").post(detail(assignment), rows_post([ok]))
    assert response.status_code == 302
    assert RectificationItem.objects.get().status == "closed"


def test_remove_a_saved_row(personas, assignment):
    client = personas.client("secretary_a")
    client.post(
        detail(assignment),
        rows_post([{**GOOD, "position": "1"}, {**GOOD, "problem": "乙", "position": "2"}]),
    )
    first, second = RectificationItem.objects.order_by("position")
    data = rows_post(
        [
            {**GOOD, "id": str(first.pk), "position": "1", "DELETE": "on"},
            {**GOOD, "problem": "乙", "id": str(second.pk), "position": "2"},
        ],
        version=2,
        initial=2,
    )
    assert client.post(detail(assignment), data).status_code == 302
    assert [(r.position, r.problem) for r in RectificationItem.objects.all()] == [(1, "乙")]


def test_submit_without_rows_is_refused(personas, assignment):
    response = personas.client("secretary_a").post(
        detail(assignment), rows_post([], action="submit")
    )
    assert response.status_code == 200
    assert "Add at least one row before submitting." in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.PENDING


def test_submit_goes_through_the_workflow_and_locks_the_form(personas, assignment):
    client = personas.client("secretary_a")
    rows = [{**GOOD, "position": str(n), "problem": f"问题{n}"} for n in (1, 2, 3)]
    assert client.post(detail(assignment), rows_post(rows, action="submit")).status_code == 302
    saved = Assignment.objects.get(pk=assignment.pk)
    assert saved.status == AssignmentStatus.SUBMITTED
    assert AuditEntry.objects.filter(action=ACTION_ASSIGNMENT_SUBMITTED).exists()
    page = client.get(detail(assignment)).content.decode()
    assert 'name="rows-0-measures"' not in page
    assert "问题3" in page and 'id="sheet-table"' in page
    # a late POST changes nothing
    client.post(detail(assignment), rows_post([{**GOOD, "position": "1"}], version=saved.version))
    assert RectificationItem.objects.count() == 3


def test_script_text_is_escaped(personas, assignment):
    row = {**GOOD, "problem": "<script>alert(1)</script>", "position": "1"}
    personas.client("secretary_a").post(detail(assignment), rows_post([row], action="submit"))
    page = personas.client("office").get(detail(assignment)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_other_branch_gets_404(personas, assignment):
    assert personas.client("secretary_b").get(detail(assignment)).status_code == 404
