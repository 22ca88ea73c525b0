"""The office dashboard of a notice: matrix, states, completion, filters, lists and access."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assignment, AssignmentStatus, local_today
from tasks.publishing import publish_notice
from tasks.templatetags.reminder_tags import urge_all_items
from tests.builders.tasks import make_item, make_meeting, make_notice
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]
S = AssignmentStatus


@pytest.fixture
def notice(personas):
    """Two areas, three items: one overdue, two ahead; branch A has a spread of states."""
    committee = personas.tree["committee"]
    notice = make_notice(committee, title="党支部工作提示")
    past = local_today() - timedelta(days=5)
    make_item(notice, area_number=1, label="1", title="学习交流", deadline=past)
    make_item(notice, area_number=2, label="2a", title="整改清单", deadline=local_today())
    make_item(
        notice,
        area_number=2,
        label="2b",
        title="星级自评",
        deadline=local_today() + timedelta(days=9),
        kind="meeting",
    )
    publish_notice(notice.pk, None)
    rows = {a.item.label: a for a in Assignment.objects.filter(branch=personas.tree["branch_a"])}
    late = timezone.now()
    Assignment.objects.filter(pk=rows["1"].pk).update(
        status=S.SUBMITTED, submitted_at=late, first_submitted_at=late
    )
    Assignment.objects.filter(pk=rows["2a"].pk).update(
        status=S.APPROVED, submitted_at=late, first_submitted_at=late, approved_at=late
    )
    return notice


def _get(client, notice, **params):
    return client.get(reverse("tasks:notice_dashboard", args=[notice.pk]), params)


def test_matrix_shows_every_branch_and_item_with_states(personas, notice):
    response = _get(personas.client("office"), notice)
    assert response.status_code == 200
    board = response.context["dashboard"]
    names = [row.branch.name for row in board.rows]
    # In-service branches first, grouped by general branch in tree order; the retired one last.
    assert sorted(names[:2]) == ["乙党支部", "甲党支部"] and names[2] == "离退休党支部"
    assert board.rows[0].group_start and not board.rows[1].group_start
    assert board.rows[2].group_start
    assert [col.item.display_label for col in board.columns] == ["1", "2a", "2b"]
    assert [(n, span) for n, _t, span in board.area_headers] == [(1, 1), (2, 2)]
    by_name = {row.branch.name: row for row in board.rows}
    row_a = by_name["甲党支部"]
    states = [c.state if c else None for c in row_a.cells]
    assert states == ["submitted", "approved", "pending"]
    assert row_a.cells[0].late  # handed in after its deadline: derived, not stored
    row_b = by_name["乙党支部"]
    assert row_b.cells[0].state == "overdue"
    # The retired branch owes nothing (items target in-service branches).
    assert by_name["离退休党支部"].cells == [None, None, None]
    assert row_a.pct == 67 and row_b.pct == 0
    assert [col.pct for col in board.columns] == [50, 50, 0]
    html = response.content.decode()
    link = reverse("tasks:assignment_detail", args=[row_a.cells[1].id])
    assert f'href="{link}"' in html and "st-approved" in html and "st-overdue" in html


def test_overdue_list_activity_and_charts(personas, notice):
    response = _get(personas.client("office"), notice)
    board = response.context["dashboard"]
    assert board.overdue_count == 1
    cell, branch, item = board.overdue[0]
    assert branch.name == "乙党支部" and item.label == "1"
    verbs = [event["verb"] for event in board.activity]
    assert "approved" in verbs and "submitted" in verbs
    data = json.loads(
        response.content.decode()
        .split('id="dashboard-data" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert data["timeline"]["handed_in"][-1] == 2
    assert sum(data["timeline"]["due"]) == 6
    assert len(data["areas"]["labels"]) == 2


def test_filters_narrow_rows_and_columns(personas, notice):
    client = personas.client("office")
    board = _get(client, notice, area="2").context["dashboard"]
    assert [c.item.display_label for c in board.columns] == ["2a", "2b"]
    board = _get(client, notice, kind="meeting").context["dashboard"]
    assert [c.item.display_label for c in board.columns] == ["2b"]
    board = _get(client, notice, status="overdue").context["dashboard"]
    assert [r.branch.name for r in board.rows] == ["乙党支部"]
    board = _get(client, notice, status="late").context["dashboard"]
    assert [r.branch.name for r in board.rows] == ["甲党支部"]
    board = _get(client, notice, service="retired").context["dashboard"]
    assert [r.branch.name for r in board.rows] == ["离退休党支部"]


def test_unknown_filter_values_are_ignored_with_a_message(personas, notice):
    response = _get(
        personas.client("office"), notice, area="99", kind="<b>", status="lost", service="x"
    )
    assert response.status_code == 200
    assert len(response.context["dashboard"].rows) == 3
    text = " ".join(str(m) for m in response.context["messages"])
    assert "ignored" in text or "忽略" in text
    assert "<b>" not in response.content.decode()


def test_regional_viewer_reads_it_and_export_button(personas, notice):
    response = _get(personas.client("regional"), notice)
    assert response.status_code == 200 and len(response.context["dashboard"].rows) == 3


def test_notice_of_another_committee_is_404(personas):
    other = make_notice(personas.tree["other_committee"])
    make_item(other)
    publish_notice(other.pk, None)
    assert _get(personas.client("office"), other).status_code == 404
    assert _get(personas.client("regional"), other).status_code == 200
    for persona in ("committee", "secretary_a", "member"):
        assert _get(personas.client(persona), other).status_code == 404


def test_dashboard_list_links_by_role(personas, notice):
    html = personas.client("office").get(reverse("tasks:dashboard_list")).content.decode()
    assert reverse("tasks:notice_dashboard", args=[notice.pk]) in html
    html = personas.client("committee").get(reverse("tasks:dashboard_list")).content.decode()
    assert reverse("tasks:liaison_dashboard", args=[notice.pk]) in html
    assert reverse("tasks:notice_dashboard", args=[notice.pk]) not in html
    response = personas.client("regional").get(
        reverse("tasks:dashboard_list"), {"committee": personas.tree["other_committee"].pk}
    )
    assert reverse("tasks:notice_dashboard", args=[notice.pk]) not in response.content.decode()
    response = personas.client("regional").get(reverse("tasks:dashboard_list"), {"committee": "x"})
    assert response.status_code == 200


def test_branch_page_panels_show_assignments_and_meetings(personas, notice):

    make_meeting(personas.tree["branch_a"], theme="主题党日学习")
    url = reverse("branches:organisation_detail", args=[personas.tree["branch_a"].pk])
    html = personas.client("committee").get(url).content.decode()
    assert 'id="assignments-panel"' in html and "整改清单" in html
    assert 'id="meetings-panel"' in html and "主题党日学习" in html
    html = personas.client("secretary_a").get(url).content.decode()
    # The branch's keeper has one list of tasks, the to-do list, not a second one across notices.
    assert 'id="todo-panel"' in html and 'id="meetings-panel"' in html
    assert 'id="assignments-panel"' not in html


def test_office_sees_urge_all_missing_per_owed_item(personas, notice):
    response = _get(personas.client("office"), notice)
    html = response.content.decode()
    owed = {item.label: item.missing_count for item in response.context["urge_items"]}
    # Two branches owe each item; branch A handed in items 1 and 2a.
    assert owed == {"1": 1, "2a": 1, "2b": 2}
    # The same figures as the review list's query, counted here from the matrix's cells.
    queried = urge_all_items(notice, personas.user("office"))
    assert [(i.pk, i.missing_count) for i in queried] == [
        (i.pk, i.missing_count) for i in response.context["urge_items"]
    ]
    for item in response.context["urge_items"]:
        assert reverse("tasks:item_urge_all", args=[item.pk]) in html
    assert 'id="urge-all"' in html


@pytest.mark.parametrize("persona", ["regional", "committee"])
def test_others_see_no_urge_button(personas, notice, persona):
    if persona == "committee":
        url = reverse("tasks:liaison_dashboard", args=[notice.pk])
        response = personas.client(persona).get(url)
    else:
        response = _get(personas.client(persona), notice)
    assert response.status_code == 200
    assert 'id="urge-all"' not in response.content.decode()
