"""The regional viewer's roll-up: every committee below the region, its figures, drill-down."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from branches.views.home import REGION_FIGURES_SECONDS
from tasks.models import Assignment, AssignmentStatus
from tasks.publishing import publish_notice
from tests.builders.tasks import make_item, make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(personas):
    mine = make_notice(personas.tree["committee"], title="党支部工作提示")
    make_item(mine)
    publish_notice(mine.pk, None)
    Assignment.objects.filter(branch=personas.tree["branch_a"]).update(
        status=AssignmentStatus.APPROVED
    )
    other = make_notice(personas.tree["other_committee"], title="另一所工作提示")
    make_item(other)
    publish_notice(other.pk, None)
    return mine, other


def test_rollup_per_committee(personas, notices):
    response = personas.client("regional").get(reverse("branches:region_tree"))
    rollup = {row["committee"].name: row for row in response.context["rollup"]}
    assert set(rollup) == {"测试中心党委", "另一研究所党委"}
    mine = rollup["测试中心党委"]
    assert mine["branches"] == 3 and mine["in_service"] == 2
    assert mine["notices"] == 1 and mine["pct"] == 50  # branch A of A and B handed in
    other = rollup["另一研究所党委"]
    assert other["branches"] == 1 and other["notices"] == 1 and other["pct"] == 0
    html = response.content.decode()
    assert 'id="rollup-table"' in html and mine["link"] in html.replace("&amp;", "&")


def test_drill_down_from_committee_to_notice_to_assignment(personas, notices):
    mine, other = notices
    client = personas.client("regional")
    rollup = client.get(reverse("branches:region_tree")).context["rollup"]
    link = next(r["link"] for r in rollup if r["committee"].name == "另一研究所党委")
    html = client.get(link).content.decode()
    dashboard = reverse("tasks:notice_dashboard", args=[other.pk])
    assert dashboard in html and reverse("tasks:notice_dashboard", args=[mine.pk]) not in html
    board = client.get(dashboard).context["dashboard"]
    cell = board.rows[0].cells[0]
    assert client.get(reverse("tasks:assignment_detail", args=[cell.id])).status_code == 200


def test_office_rollup_is_its_committee_only(personas, notices):
    response = personas.client("office").get(reverse("branches:region_tree"))
    assert [row["committee"].name for row in response.context["rollup"]] == ["测试中心党委"]


def test_rollup_query_count_is_bounded(personas, notices, django_assert_max_num_queries):
    client = personas.client("regional")
    client.get(reverse("branches:region_tree"))  # the session's first request writes it
    cache.clear()
    with django_assert_max_num_queries(12):
        client.get(reverse("branches:region_tree"))
    # Within the minute the figures are not counted again.
    with django_assert_max_num_queries(8):
        client.get(reverse("branches:region_tree"))


def _handed_in(client) -> int:
    response = client.get(reverse("branches:region_tree"))
    rollup = {row["committee"].name: row for row in response.context["rollup"]}
    return rollup["测试中心党委"]["pct"]


def test_rollup_is_counted_again_after_a_minute(personas, notices):
    client = personas.client("regional")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert _handed_in(client) == 50
        Assignment.objects.filter(branch=personas.tree["branch_b"]).update(
            status=AssignmentStatus.SUBMITTED
        )
        clock.shift(REGION_FIGURES_SECONDS - 1)
        english = client.get(reverse("branches:region_tree"), HTTP_ACCEPT_LANGUAGE="en")
        html = english.content.decode()
        assert _handed_in(client) == 50
        counted = timezone.localtime(timezone.now() - timedelta(seconds=REGION_FIGURES_SECONDS - 1))
        assert f"Counted at {counted:%H:%M}" in html
        clock.shift(2)
        assert _handed_in(client) == 100


def test_each_scope_keeps_its_own_figures(personas, notices):
    regional = personas.client("regional").get(reverse("branches:region_tree"))
    assert len(regional.context["rollup"]) == 2
    office = personas.client("office").get(reverse("branches:region_tree"))
    assert [row["committee"].name for row in office.context["rollup"]] == ["测试中心党委"]
