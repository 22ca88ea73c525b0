"""Opening and closing the yearly rating round: who is rated, dates, refusals, audit, pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from branches.models import OrgKind, RoleKind
from portal.models import AuditEntry
from ratings import services
from ratings.audit_actions import ACTION_ROUND_CLOSED, ACTION_ROUND_OPENED
from ratings.models import RatingRound, RoundStatus
from tests.builders.branches import _child, make_person
from tests.builders.ratings import open_round

pytestmark = pytest.mark.django_db


def _rated(rating_round):
    return set(rating_round.decisions.values_list("branch__name", flat=True))


def test_open_round_lists_in_service_branches_founded_a_year_before(personas):
    young = _child(
        personas.tree["general"], name="新党支部", kind=OrgKind.BRANCH, founded_on=date(2022, 6, 1)
    )
    rating_round = open_round(personas)
    assert (rating_round.self_assessment_due, rating_round.decision_due) == (
        date(2022, 11, 20),
        date(2022, 12, 20),
    )
    assert _rated(rating_round) == {"甲党支部", "乙党支部"}  # not retired, young, other institute
    assert young.name not in _rated(rating_round)
    entry = AuditEntry.objects.get(action=ACTION_ROUND_OPENED)
    assert entry.data["branches"] == 2


def test_retired_branches_join_when_the_setting_says_so(personas, settings):
    settings.RATINGS_INCLUDE_RETIRED = True
    rating_round = open_round(personas)
    assert "离退休党支部" in _rated(rating_round) and rating_round.include_retired


def test_second_round_of_a_year_is_refused(personas):
    open_round(personas)
    with pytest.raises(services.RatingRefused, match="already has a rating round"):
        open_round(personas)
    assert RatingRound.objects.count() == 1


def test_close_round_once_and_audit(personas):
    rating_round = open_round(personas)
    services.close_round(rating_round.pk, personas.user("office"))
    rating_round.refresh_from_db()
    assert rating_round.status == RoundStatus.CLOSED and rating_round.closed_at
    with pytest.raises(services.RatingRefused):
        services.close_round(rating_round.pk, personas.user("office"))
    assert AuditEntry.objects.filter(action=ACTION_ROUND_CLOSED).count() == 1


def test_office_opens_a_round_in_the_browser(personas):
    client = personas.client("office")
    response = client.post(
        reverse("ratings:rounds"), {"committee": personas.tree["committee"].pk, "year": 2022}
    )
    rating_round = RatingRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ratings:round_detail", args=[rating_round.pk])
    page = client.get(response["Location"]).content.decode()
    assert "甲党支部" in page and "乙党支部" in page


def test_decision_before_self_assessments_is_refused_in_the_form(personas):
    response = personas.client("office").post(
        reverse("ratings:rounds"),
        {
            "committee": personas.tree["committee"].pk,
            "year": 2022,
            "self_assessment_due": "2022-12-01",
            "decision_due": "2022-11-01",
        },
    )
    assert response.status_code == 200
    assert "cannot be due before" in response.content.decode()
    assert not RatingRound.objects.exists()


@pytest.mark.parametrize("name", ["committee", "secretary_a", "member", "regional"])
def test_round_pages_are_the_office_s(personas, name):
    rating_round = open_round(personas)
    client = personas.client(name)
    assert client.get(reverse("ratings:rounds")).status_code == 404
    assert client.get(reverse("ratings:round_detail", args=[rating_round.pk])).status_code == 404
    assert client.post(reverse("ratings:round_close", args=[rating_round.pk])).status_code == 404
    assert RatingRound.objects.get().is_open


def test_office_of_another_committee_does_not_see_the_round(personas):
    other = make_person(
        "别所党办",
        personas.tree["other_branch"],
        username="other_office",
        roles=[(RoleKind.OFFICE, personas.tree["other_committee"])],
    )
    rating_round = open_round(personas)

    client = Client()
    client.force_login(other.user)
    assert client.get(reverse("ratings:round_detail", args=[rating_round.pk])).status_code == 404
