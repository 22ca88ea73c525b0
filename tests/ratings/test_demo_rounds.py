"""seed_demo adds a published 2021 round and a 2022 round with ratings; running it again adds
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ratings.models import CommitteeRating, RatingRound, RoundStatus, StarDecision

pytestmark = pytest.mark.django_db


def _counts():
    return (
        RatingRound.objects.count(),
        CommitteeRating.objects.count(),
        StarDecision.objects.count(),
    )


def test_seed_builds_two_published_years_once():
    call_command("seed_demo", stdout=io.StringIO())
    rounds = {r.year: r for r in RatingRound.objects.all()}
    assert set(rounds) == {2021, 2022}
    assert all(r.status == RoundStatus.PUBLISHED for r in rounds.values())
    assert rounds[2022].decisions.count() == 12  # the in-service branches
    assert rounds[2022].ratings.exists() and not rounds[2021].ratings.exists()
    assert not StarDecision.objects.filter(star__isnull=True).exists()
    first = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
