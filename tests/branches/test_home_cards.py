"""The home pages answer "what needs me now": the office's and the liaison member's cards, the
secretary's cards and single to-do list on his branch page. Each card's number is the length of
the list its link opens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from branches import home_cards
from branches.home_cards import SELF_CHECKS, Card, register_home_cards
from ratings import services as rating_services
from ratings.models import CommitteeRating, StarDecision
from tasks.models import Assignment, AssignmentStatus, local_today
from tests.builders.tasks import assignment_of, published_item
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]

S = AssignmentStatus


def _cards(response) -> dict[str, Card]:
    return {card.key: card for card in response.context["cards"]}


def _listed(client, url) -> int:
    """How many rows the card's link lists."""
    return client.get(url).context["page"].paginator.count


@pytest.fixture
def work(personas):
    """A notice due in three days with one submission, and one overdue notice."""
    committee, today = personas.tree["committee"], local_today()
    soon = published_item(committee, deadline=today + timedelta(days=3))
    overdue = published_item(committee, deadline=today - timedelta(days=2))
    waiting = assignment_of(soon, personas.tree["branch_a"])
    Assignment.objects.filter(pk=waiting.pk).update(
        status=S.SUBMITTED, submitted_at=WORKDAY_MORNING - timedelta(days=4)
    )
    return {"soon": soon, "overdue": overdue, "waiting": waiting}


def test_office_lands_on_its_cards_each_linking_to_the_list_it_counts(personas, work):
    client = personas.client("office")
    assert client.get(reverse("branches:home")).url == reverse("branches:office_overview")
    response = client.get(reverse("branches:office_overview"))
    cards = _cards(response)
    assert list(cards)[0] == "review"  # the review queue heads the page
    review = cards["review"]
    assert review.count == 1 == _listed(client, review.url)
    assert "order=waiting" in review.url and review.rows[0][1] == reverse(
        "tasks:assignment_detail", args=[work["waiting"].pk]
    )
    notice = work["overdue"].area.notice
    overdue = cards[f"overdue-{notice.pk}"]
    assert overdue.count == Assignment.objects.filter(item=work["overdue"]).count() > 0
    assert overdue.url == reverse("tasks:notice_dashboard", args=[notice.pk]) + "?status=overdue"
    due = cards["due-soon"]
    owed_soon = Assignment.objects.filter(item=work["soon"]).exclude(status=S.SUBMITTED).count()
    assert due.count == owed_soon == _listed(client, due.url)
    for key in ("concerns", "rounds", "development", "relations", "lockouts"):
        assert cards[key].count == 0
        assert client.get(cards[key].url).status_code == 200
    html = response.content.decode()
    assert 'data-card="review"' in html and "甲党支部" in html  # the cards, then the branches


def test_locked_login_counts_on_the_office_card(personas, settings):

    AccessAttempt.objects.create(
        username="secretary_a",
        ip_address="10.0.0.9",
        user_agent="x",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    cards = _cards(personas.client("office").get(reverse("branches:office_overview")))
    assert cards["lockouts"].count == 1


def test_committee_member_sees_his_liaison_branches_per_live_notice(personas, work):
    client = personas.client("committee")
    assert client.get(reverse("branches:home")).url == reverse("branches:liaison_branches")
    response = client.get(reverse("branches:liaison_branches"), HTTP_ACCEPT_LANGUAGE="en")
    cards = _cards(response)
    notice = work["overdue"].area.notice
    card = cards[f"liaison-{notice.pk}"]
    # Only his liaison branch (branch A) counts, not the committee's other branches.
    assert card.count == 1
    assert card.url == reverse("tasks:liaison_dashboard", args=[notice.pk]) + "?status=overdue"
    soon = cards[f"liaison-{work['soon'].area.notice_id}"]
    assert soon.count == 0 and ("awaiting review", "", "1") in [tuple(r) for r in soon.rows]
    assert cards["ratings"].count == 0


def test_ratings_to_give_count_the_open_rounds_branches_not_rated_yet(personas):
    committee = personas.tree["committee"]
    rating_round = rating_services.open_round(committee, 2026, personas.user("office"))
    member = personas.people["committee"]
    entries = StarDecision.objects.filter(round=rating_round).exclude(branch_id=member.branch_id)
    CommitteeRating.objects.create(
        round=rating_round, branch=personas.tree["branch_a"], member=member, star=4
    )
    client = personas.client("committee")
    card = _cards(client.get(reverse("branches:liaison_branches")))["ratings"]
    assert card.count == entries.count() - 1
    assert card.url == reverse("ratings:rate_list")
    office = _cards(personas.client("office").get(reverse("branches:office_overview")))
    assert office["rounds"].count == 1


def test_self_check_hook_shows_nothing_until_an_app_provides_it(personas, monkeypatch):
    client = personas.client("committee")
    response = client.get(reverse("branches:liaison_branches"))
    assert response.context["self_check_cards"] == []
    monkeypatch.setitem(home_cards._providers, SELF_CHECKS, [])
    register_home_cards(
        SELF_CHECKS, lambda request, target: [Card("self-checks", "Self-checks", 2, "/x/")]
    )
    html = client.get(reverse("branches:liaison_branches")).content.decode()
    assert 'data-card="self-checks"' in html


def test_secretary_has_one_to_do_list_returned_items_first_with_the_comment(personas, work):
    branch = personas.tree["branch_b"]
    returned = assignment_of(work["overdue"], branch)
    Assignment.objects.filter(pk=returned.pk).update(
        status=S.RETURNED, review_comment="请补充会议记录"
    )
    client = personas.client("secretary_b")
    url = reverse("branches:organisation_detail", args=[branch.pk])
    assert client.get(reverse("branches:home")).url == url
    response = client.get(url)
    html = response.content.decode()
    assert 'id="todo-panel"' in html and 'id="assignments-panel"' not in html
    panel = next(p for p in response.context["panels"] if "todo" in p["template"])
    rows = panel["context"]["assignments"]
    assert rows[0] == returned and len(rows) == 2
    assert "请补充会议记录" in html
    cards = _cards(response)
    assert cards["meetings"].url == reverse("branches:branch_compliance", args=[branch.pk])
    assert cards["development"].url == reverse("branches:branch_development", args=[branch.pk])
    assert cards["meetings"].count == len(cards["meetings"].rows)


def test_branch_cards_are_the_keepers_alone(personas):
    url = reverse("branches:organisation_detail", args=[personas.tree["branch_b"].pk])
    assert personas.client("office").get(url).context["cards"] == []
