"""Committee members rate blind, never their own branch, once per branch (edits), while open."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from branches.models import RoleKind
from portal.models import AuditEntry
from ratings import services
from ratings.audit_actions import ACTION_RATING_CHANGED, ACTION_RATING_CREATED
from ratings.models import CommitteeRating
from tests.builders.branches import make_person
from tests.builders.ratings import open_round, second_member, self_assess

pytestmark = pytest.mark.django_db


@pytest.fixture
def rating_round(personas):
    second_member(personas)
    self_assess(personas, "branch_a", 4)
    return open_round(personas)


def _url(rating_round, branch):
    return reverse("ratings:rate_branch", args=[rating_round.pk, branch.pk])


def _post(client, rating_round, branch, star, **extra):
    data = {"star": star, "comment": "会议记录完整", "score_political": "4", **extra}
    return client.post(_url(rating_round, branch), data)


def test_member_rates_a_branch_with_per_dimension_scores(personas, rating_round):
    branch_a = personas.tree["branch_a"]
    page = personas.client("committee").get(_url(rating_round, branch_a)).content.decode()
    assert "self-assessment" in page.lower() and "会议记录第1号" in page  # evidence shown
    response = _post(
        personas.client("committee"), rating_round, branch_a, 4, opinion_role="科研结合紧密"
    )
    assert response.status_code == 302
    rating = CommitteeRating.objects.get()
    assert (rating.star, rating.member, rating.branch) == (
        4,
        personas.people["committee"],
        branch_a,
    )
    assert rating.dimensions == {
        "political": {"score": 4, "opinion": ""},
        "role": {"score": None, "opinion": "科研结合紧密"},
    }
    assert AuditEntry.objects.filter(action=ACTION_RATING_CREATED).count() == 1


def test_evidence_shows_the_computed_meetings_compliance(personas, rating_round):
    branch_a = personas.tree["branch_a"]
    page = personas.client("committee").get(_url(rating_round, branch_a)).content.decode()
    assert "due periods met." in page


def test_second_rating_by_the_same_member_edits_the_first(personas, rating_round):
    branch_a = personas.tree["branch_a"]
    client = personas.client("committee")
    _post(client, rating_round, branch_a, 3)
    _post(client, rating_round, branch_a, 5, comment="改为五星")
    rating = CommitteeRating.objects.get()
    assert (rating.star, rating.comment) == (5, "改为五星")
    assert AuditEntry.objects.filter(action=ACTION_RATING_CHANGED).count() == 1


def _third_member(personas):
    return make_person(
        "第三委员",
        personas.tree["retired"],
        username="committee3",
        roles=[(RoleKind.COMMITTEE_MEMBER, personas.tree["committee"])],
    )


def test_ratings_are_blind_until_the_round_closes(personas, rating_round):
    branch_a = personas.tree["branch_a"]
    third = _third_member(personas)
    services.rate(
        rating_round.pk, branch_a.pk, personas.people["committee"], star=5, comment="秘密意见"
    )
    services.rate(rating_round.pk, branch_a.pk, third, star=3)
    client = Client()
    client.force_login(third.user)
    page = client.get(_url(rating_round, branch_a)).content.decode()
    assert "秘密意见" not in page and "member-ratings" not in page
    assert list(
        CommitteeRating.objects.visible_to(third, rating_round).values_list("star", flat=True)
    ) == [3]

    services.close_round(rating_round.pk, personas.user("office"))
    rating_round.refresh_from_db()
    assert CommitteeRating.objects.visible_to(third, rating_round).count() == 2
    page = client.get(_url(rating_round, branch_a)).content.decode()
    assert "秘密意见" in page and "member-ratings" in page


def test_a_member_does_not_rate_his_own_branch(personas, rating_round):
    branch_b = personas.tree["branch_b"]  # the committee persona belongs to branch B
    client = personas.client("committee")
    assert client.get(_url(rating_round, branch_b)).status_code == 404
    assert _post(client, rating_round, branch_b, 4).status_code == 404
    with pytest.raises(services.NotInRound):
        services.rate(rating_round.pk, branch_b.pk, personas.people["committee"], star=4)
    listing = client.get(reverse("ratings:rate_list")).content.decode()
    assert "甲党支部" in listing and "乙党支部" not in listing
    assert not CommitteeRating.objects.exists()


def test_a_branch_outside_the_round_is_404(personas, rating_round):
    client = personas.client("committee")
    for key in ("retired", "other_branch", "general"):
        assert client.get(_url(rating_round, personas.tree[key])).status_code == 404
        assert _post(client, rating_round, personas.tree[key], 3).status_code == 404
    assert client.get(reverse("ratings:rate_branch", args=[999, 1])).status_code == 404


@pytest.mark.parametrize("star", ["1", "6", "0", "x", ""])
def test_a_star_outside_2_to_5_is_refused(personas, rating_round, star):
    response = _post(personas.client("committee"), rating_round, personas.tree["branch_a"], star)
    assert response.status_code == 200
    assert response.context["form"].errors["star"]
    assert not CommitteeRating.objects.exists()


@pytest.mark.parametrize("star", [1, 6, "4", True, None])
def test_the_service_refuses_a_bad_star(personas, rating_round, star):
    with pytest.raises(services.RatingRefused, match="between 2 and 5"):
        services.rate(
            rating_round.pk, personas.tree["branch_a"].pk, personas.people["committee"], star=star
        )


def test_a_rating_after_the_round_closed_is_refused(personas, rating_round):
    branch_a = personas.tree["branch_a"]
    client = personas.client("committee")
    _post(client, rating_round, branch_a, 3)
    services.close_round(rating_round.pk, personas.user("office"))
    response = _post(client, rating_round, branch_a, 5)
    assert response.status_code == 302
    shown = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert any("closed" in m for m in shown), shown
    assert CommitteeRating.objects.get().star == 3
    with pytest.raises(services.RatingRefused, match="closed"):
        services.rate(rating_round.pk, branch_a.pk, personas.people["committee"], star=4)


@pytest.mark.parametrize("name", ["office", "secretary_a", "member", "regional", "anonymous"])
def test_only_committee_members_reach_the_rating_pages(personas, rating_round, name):
    client = personas.client(name)
    expected = 302 if name == "anonymous" else 404
    assert client.get(reverse("ratings:rate_list")).status_code == expected
    assert client.get(_url(rating_round, personas.tree["branch_a"])).status_code == expected
