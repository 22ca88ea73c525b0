"""The committee member's view: the matrix of his liaison branches and his escalations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tasks.models import local_today
from tasks.publishing import publish_notice
from tests.builders.tasks import make_item, make_notice
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


@pytest.fixture
def notice(personas):
    notice = make_notice(personas.tree["committee"], title="党支部工作提示")
    make_item(notice, label="1", title="学习交流", deadline=local_today() - timedelta(days=3))
    make_item(notice, area_number=2, label="2", title="整改清单")
    publish_notice(notice.pk, None)
    return notice


def _get(personas, notice, persona="committee", **params):
    return personas.client(persona).get(
        reverse("tasks:liaison_dashboard", args=[notice.pk]), params
    )


def test_only_liaison_branches_are_shown(personas, notice):
    response = _get(personas, notice)
    assert response.status_code == 200
    board = response.context["dashboard"]
    assert [row.branch.name for row in board.rows] == ["甲党支部"]  # branch A is his
    html = response.content.decode()
    assert "乙党支部" not in html.split('id="matrix"')[1].split("</table>")[0]


def test_escalations_are_the_overdue_tasks_of_his_branches(personas, notice):
    response = _get(personas, notice)
    escalations = response.context["escalations"]
    assert [(branch.name, item.label) for _cell, branch, item in escalations] == [("甲党支部", "1")]
    html = response.content.decode()
    assert 'id="escalations"' in html and "学习交流" in html.split('id="escalations"')[1]


def test_no_liaison_branch_means_an_empty_matrix(personas, notice):
    personas.tree["branch_a"].liaison_members.clear()
    response = _get(personas, notice)
    assert response.status_code == 200 and response.context["dashboard"].rows == []


def test_no_export_button_for_the_committee_member(personas, notice):
    html = _get(personas, notice).content.decode()
    assert reverse("tasks:export_request", args=[notice.pk]) not in html


def test_filters_work_and_bad_values_are_ignored(personas, notice):
    response = _get(personas, notice, status="overdue", area="abc")
    assert response.status_code == 200
    assert [r.branch.name for r in response.context["dashboard"].rows] == ["甲党支部"]
    assert list(response.context["messages"])


def test_other_people_get_404(personas, notice):
    for persona in ("office", "secretary_a", "member", "regional"):
        assert _get(personas, notice, persona).status_code == 404
    other = make_notice(personas.tree["other_committee"])
    assert _get(personas, other).status_code == 404
