"""Publishing the stars; one year's stars, the history, the goal "every in-service branch ≥ 3"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from branches.models import RoleKind
from portal.models import AuditEntry
from ratings import services
from ratings.audit_actions import ACTION_ROUND_PUBLISHED
from ratings.models import RoundStatus, StarDecision
from ratings.results import goal_progress, history
from tests.builders.branches import make_person
from tests.builders.ratings import open_round

pytestmark = pytest.mark.django_db


def run_round(personas, year, stars):
    """Open, close, decide ``stars`` ({branch key: star}) and publish a round."""
    office = personas.user("office")
    rating_round = open_round(personas, year)
    services.close_round(rating_round.pk, office)
    for key, star in stars.items():
        services.decide(
            rating_round.pk,
            personas.tree[key].pk,
            star=star,
            rationale=f"{year}年评定",
            user=office,
        )
    services.publish(rating_round.pk, office)
    return rating_round


def test_publishing_needs_every_star_and_a_closed_round(personas):
    office = personas.user("office")
    rating_round = open_round(personas)
    with pytest.raises(services.RatingRefused, match="closed round"):
        services.publish(rating_round.pk, office)
    services.close_round(rating_round.pk, office)
    services.decide(
        rating_round.pk, personas.tree["branch_a"].pk, star=4, rationale="", user=office
    )
    with pytest.raises(services.RatingRefused, match="乙党支部"):
        services.publish(rating_round.pk, office)
    services.decide(
        rating_round.pk, personas.tree["branch_b"].pk, star=2, rationale="", user=office
    )
    services.publish(rating_round.pk, office)
    rating_round.refresh_from_db()
    assert rating_round.status == RoundStatus.PUBLISHED
    assert AuditEntry.objects.filter(action=ACTION_ROUND_PUBLISHED).count() == 1
    with pytest.raises(services.RatingRefused, match="published"):
        services.decide(
            rating_round.pk, personas.tree["branch_b"].pk, star=5, rationale="", user=office
        )


def test_unpublished_stars_stay_out_of_the_results(personas):
    office = personas.user("office")
    rating_round = open_round(personas)
    services.close_round(rating_round.pk, office)
    services.decide(
        rating_round.pk, personas.tree["branch_a"].pk, star=5, rationale="", user=office
    )
    assert not StarDecision.objects.published().exists()
    page = personas.client("committee").get(reverse("ratings:results")).content.decode()
    assert "No stars are published yet." in page


def test_history_across_years_and_goal_progress(personas):
    run_round(personas, 2021, {"branch_a": 2, "branch_b": 3})
    run_round(personas, 2022, {"branch_a": 3, "branch_b": 2})
    committees = [personas.tree["committee"]]
    found = history(committees)
    assert found.years == [2021, 2022]
    assert sorted((b.name, stars) for b, stars in found.rows) == [
        ("乙党支部", [3, 2]),
        ("甲党支部", [2, 3]),
    ]
    progress = goal_progress(committees, 2022)
    assert (progress.total, progress.reached, progress.percent) == (2, 1, 50)
    assert [(b.name, star) for b, star in progress.below] == [("乙党支部", 2)]


def test_results_page_shows_year_history_and_the_branches_below_the_goal(personas):
    run_round(personas, 2021, {"branch_a": 2, "branch_b": 3})
    run_round(personas, 2022, {"branch_a": 4, "branch_b": 2})
    client = personas.client("committee")
    response = client.get(reverse("ratings:results"))
    assert response.context["year"] == 2022
    html = response.content.decode()
    assert "1 of 2 in-service branches have at least 3 stars in 2022." in html
    below = html[html.index('id="below-goal"') :]
    assert "乙党支部: 2★" in below[: below.index("</ul>")]
    assert "2022年评定" in html and "2021" in html
    older = client.get(reverse("ratings:results"), {"year": "2021"})
    assert older.context["progress"].reached == 1
    assert client.get(reverse("ratings:results"), {"year": "abc"}).status_code == 200
    # the regional viewer's goal counts every institute below the region
    regional = personas.client("regional").get(reverse("ratings:results")).content.decode()
    assert "1 of 3 in-service branches" in regional and "另一所党支部" in regional


def test_results_are_for_the_committee_s_readers_only(personas):
    run_round(personas, 2022, {"branch_a": 4, "branch_b": 3})
    for name in ("secretary_a", "member"):
        assert personas.client(name).get(reverse("ratings:results")).status_code == 404

    other = make_person(
        "别所党办",
        personas.tree["other_branch"],
        username="other_office",
        roles=[(RoleKind.OFFICE, personas.tree["other_committee"])],
    )
    client = Client()
    client.force_login(other.user)
    assert "甲党支部" not in client.get(reverse("ratings:results")).content.decode()
