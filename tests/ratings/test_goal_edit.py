"""The committee's star goal (DOMAIN §2: every in-service branch at least 3 stars by the end of
2023) is data: shown on the results page, edited by the committee's own office, and the
measure of the progress there and in the results export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditEntry
from ratings import services
from ratings.audit_actions import ACTION_GOAL_CHANGED
from ratings.models import StarGoal
from ratings.results import goal_progress, goals_of
from tests.ratings.test_results import run_round

pytestmark = pytest.mark.django_db


def goal_url(personas, key="committee"):
    return reverse("ratings:goal_edit", args=[personas.tree[key].pk])


def test_a_committee_without_a_saved_goal_has_the_seed_s_goal(personas):
    (goal,) = goals_of([personas.tree["committee"]])
    assert (goal.star, goal.year, goal.pk) == (3, 2023, None)


def test_results_page_shows_the_goal_before_any_star_is_published(personas):
    page = personas.client("office").get(reverse("ratings:results")).content.decode()
    goals = page[page.index('id="goals"') :]
    assert "every in-service branch at least 3 stars by the end of 2023" in goals
    assert goal_url(personas) in goals  # the office edits its committee's goal
    member = personas.client("committee").get(reverse("ratings:results")).content.decode()
    assert "by the end of 2023" in member and goal_url(personas) not in member


def test_office_edits_its_goal_and_the_progress_follows(personas):
    run_round(personas, 2022, {"branch_a": 3, "branch_b": 4})
    client = personas.client("office")
    page = client.get(reverse("ratings:results")).content.decode()
    assert "2 of 2 in-service branches have at least 3 stars in 2022." in page
    assert client.get(goal_url(personas)).status_code == 200
    response = client.post(goal_url(personas), {"star": "4", "year": "2025"})
    assert response.status_code == 302 and response.url.endswith("#goal")
    goal = StarGoal.objects.get(committee=personas.tree["committee"])
    assert (goal.star, goal.year) == (4, 2025)
    entry = AuditEntry.objects.get(action=ACTION_GOAL_CHANGED)
    assert entry.data == {"star": 4, "year": 2025, "before": None}
    page = client.get(reverse("ratings:results")).content.decode()
    assert "every in-service branch at least 4 stars by the end of 2025" in page
    assert "1 of 2 in-service branches have at least 4 stars in 2022." in page
    client.post(goal_url(personas), {"star": "3", "year": "2023"})
    assert AuditEntry.objects.filter(action=ACTION_GOAL_CHANGED).order_by("pk").last().data[
        "before"
    ] == {
        "star": 4,
        "year": 2025,
    }


@pytest.mark.parametrize(
    "data", [{"star": "6", "year": "2023"}, {"star": "1"}, {"star": "3", "year": "1999"}, {}]
)
def test_a_bad_goal_is_refused_and_nothing_saved(personas, data):
    response = personas.client("office").post(goal_url(personas), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not StarGoal.objects.exists()


def test_set_goal_refuses_bad_values(personas):
    committee = personas.tree["committee"]
    with pytest.raises(services.RatingRefused):
        services.set_goal(committee, star=6, year=2023, user=None)
    with pytest.raises(services.RatingRefused):
        services.set_goal(committee, star=3, year=True, user=None)
    assert not StarGoal.objects.exists()


def test_only_the_committee_s_own_office_edits_its_goal(personas, second_committee):
    for name in ("office_2", "committee", "secretary_a", "regional", "member"):
        client = personas.client(name)
        assert client.get(goal_url(personas)).status_code == 404, name
        assert client.post(goal_url(personas), {"star": "4", "year": "2024"}).status_code == 404
    assert not StarGoal.objects.exists()


def test_each_committee_s_branches_are_measured_by_its_own_goal(personas):
    run_round(personas, 2022, {"branch_a": 3, "branch_b": 4})
    services.set_goal(personas.tree["committee"], star=4, year=2024, user=None)
    services.set_goal(personas.tree["other_committee"], star=2, year=2023, user=None)
    committees = [personas.tree["committee"], personas.tree["other_committee"]]
    progress = goal_progress(committees, 2022)
    assert (progress.total, progress.reached, progress.star) == (3, 1, None)
    page = personas.client("regional").get(reverse("ratings:results")).content.decode()
    assert "1 of 3 in-service branches reach their committee's goal in 2022." in page
    assert "at least 2 stars by the end of 2023" in page
