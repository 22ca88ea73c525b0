"""The office's view of a round: self-assessed star, each recommendation, mean, median, spread;
recording the committee's star (only after closing; a veto indicator answered “no” caps it at 2)."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from branches.models import RoleKind
from portal.models import AuditEntry
from ratings import services
from ratings.audit_actions import ACTION_DECISION_RECORDED
from ratings.indicator_sets import current_set
from ratings.models import Indicator, StarAnswer, StarDecision
from tests.builders.branches import make_person
from tests.builders.ratings import open_round, second_member, self_assess

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(personas):
    """Branch A rated 3, 4 and 5 by three members; branch B by one member, 2."""
    second_member(personas)
    self_assess(personas, "branch_a", 4)
    rating_round = open_round(personas)
    a, b = personas.tree["branch_a"], personas.tree["branch_b"]
    third = make_person(
        "第三委员",
        personas.tree["retired"],
        username="committee3",
        roles=[(RoleKind.COMMITTEE_MEMBER, personas.tree["committee"])],
    )
    fourth = make_person(
        "第四委员",
        personas.tree["retired"],
        username="committee4",
        roles=[(RoleKind.COMMITTEE_MEMBER, personas.tree["committee"])],
    )
    services.rate(rating_round.pk, a.pk, personas.people["committee"], star=3)
    services.rate(rating_round.pk, a.pk, third, star=4)
    services.rate(rating_round.pk, a.pk, fourth, star=5)
    services.rate(rating_round.pk, b.pk, personas.people["committee2"], star=2)
    return rating_round


def test_summary_has_self_star_recommendations_mean_median_spread(personas, rated):
    by_name = {s.branch.name: s for s in services.round_summary(rated)}
    a, b = by_name["甲党支部"], by_name["乙党支部"]
    assert (a.self_star, sorted(a.stars), a.mean, a.median, a.spread) == (4, [3, 4, 5], 4, 4, 2)
    assert (b.self_star, b.stars, b.mean, b.median, b.spread) == (None, [2], 2, 2, 0)


def test_even_count_median(personas, rated):
    third = personas.people.get("committee3") or rated.ratings.get(member__name="第三委员").member
    services.rate(rated.pk, personas.tree["branch_b"].pk, third, star=5)
    b = next(s for s in services.round_summary(rated) if s.branch.name == "乙党支部")
    assert (b.mean, b.median, b.spread) == (3.5, 3.5, 3)


def test_office_page_shows_each_member_s_recommendation_even_while_open(personas, rated):
    page = personas.client("office").get(reverse("ratings:round_detail", args=[rated.pk]))
    html = page.content.decode()
    assert "党委委员: 3" in html and "第三委员: 4" in html and "第四委员: 5" in html


def test_decision_needs_a_closed_round(personas, rated):
    with pytest.raises(services.RatingRefused, match="Close the round"):
        services.decide(
            rated.pk,
            personas.tree["branch_a"].pk,
            star=4,
            rationale="",
            user=personas.user("office"),
        )


def test_office_records_the_committee_s_star_with_rationale(personas, rated):
    services.close_round(rated.pk, personas.user("office"))
    client = personas.client("office")
    url = reverse("ratings:decide", args=[rated.pk, personas.tree["branch_a"].pk])
    assert client.post(url, {"star": "7", "rationale": "x"}).status_code == 200
    response = client.post(url, {"star": "4", "rationale": "三会一课规范，科研结合好"})
    assert response.status_code == 302
    decision = StarDecision.objects.get(branch=personas.tree["branch_a"])
    assert (decision.star, decision.rationale) == (4, "三会一课规范，科研结合好")
    assert decision.decided_by == personas.user("office")
    assert AuditEntry.objects.get(action=ACTION_DECISION_RECORDED).data["star"] == 4
    # no quota: every branch may get 5
    services.decide(rated.pk, personas.tree["branch_b"].pk, star=5, rationale="", user=None)


def test_branch_outside_the_round_cannot_be_decided(personas, rated):
    services.close_round(rated.pk, personas.user("office"))
    url = reverse("ratings:decide", args=[rated.pk, personas.tree["retired"].pk])
    assert personas.client("office").get(url).status_code == 404
    with pytest.raises(services.NotInRound):
        services.decide(rated.pk, personas.tree["retired"].pk, star=3, rationale="", user=None)


def _veto_no(personas):
    indicator = Indicator.objects.get(indicator_set__year=2022, number=20)
    indicator.is_veto = True
    indicator.save()
    StarAnswer.objects.filter(
        indicator=indicator, assessment__assignment__branch=personas.tree["branch_a"]
    ).update(answer="no")


def test_a_veto_indicator_answered_no_caps_the_star_at_two(personas, rated):
    services.close_round(rated.pk, personas.user("office"))
    a = personas.tree["branch_a"].pk
    StarAnswer.objects.filter(indicator__number=20, assessment__assignment__branch_id=a).update(
        answer="no"
    )
    services.decide(rated.pk, a, star=4, rationale="", user=None)  # not a veto indicator
    _veto_no(personas)  # the flag on the indicator is the whole rule: no setting switches it
    with pytest.raises(services.RatingRefused, match="at most 2"):
        services.decide(rated.pk, a, star=3, rationale="", user=None)
    services.decide(rated.pk, a, star=2, rationale="一票否决", user=None)
    assert StarDecision.objects.get(branch_id=a).star == 2
    page = personas.client("office").get(reverse("ratings:round_detail", args=[rated.pk]))
    assert "veto" in page.content.decode()


def test_the_veto_setting_is_gone():
    assert not hasattr(django_settings, "RATINGS_VETO_CAPS_AT_TWO")


def test_veto_flag_is_edited_on_the_indicator_set_page(personas):
    indicator_set = current_set(personas.tree["committee"], 2022)
    indicators = list(indicator_set.indicators.all())
    data = {
        "set-title": indicator_set.title,
        "set-is_placeholder": "on",
        "ind-TOTAL_FORMS": str(len(indicators)),
        "ind-INITIAL_FORMS": str(len(indicators)),
    }
    for i, ind in enumerate(indicators):
        data[f"ind-{i}-id"] = ind.pk
        data[f"ind-{i}-dimension"] = ind.dimension
        data[f"ind-{i}-text"] = ind.text
        if ind.number == 20:
            data[f"ind-{i}-is_veto"] = "on"
    url = reverse("ratings:indicator_set_edit", args=[indicator_set.pk])
    assert personas.client("office").post(url, data).status_code == 302
    assert list(Indicator.objects.filter(is_veto=True).values_list("number", flat=True)) == [20]
