"""The ratings' part of the regional synthetic data (``manage.py build_regional_data``): last
year's rating round of every committee, published, with a star for each branch."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from portal.regional_data import RegionalData
from ratings.models import RatingRound, RoundStatus, StarDecision

BATCH = 5000


def build_regional_ratings(data: RegionalData, write: Callable[[str], None]) -> None:
    now = timezone.now()
    year = timezone.localdate().year - 1
    # bulk_create: no post_save, so no deadline items are planned for a round of the past.
    rounds = RatingRound.objects.bulk_create(
        [
            RatingRound(
                committee_id=committee_id,
                year=year,
                status=RoundStatus.PUBLISHED,
                include_retired=True,
                self_assessment_due=timezone.localdate() - timedelta(days=120),
                decision_due=timezone.localdate() - timedelta(days=60),
                closed_at=now - timedelta(days=60),
                published_at=now - timedelta(days=50),
            )
            for committee_id in data.branches
        ]
    )
    decisions = [
        StarDecision(
            round=rating_round,
            branch_id=branch_id,
            star=2 + (b % 4),
            rationale="综合评定。",
            decided_at=now - timedelta(days=55),
        )
        for rating_round, branch_ids in zip(rounds, data.branches.values(), strict=True)
        for b, branch_id in enumerate(branch_ids)
    ]
    StarDecision.objects.bulk_create(decisions, batch_size=BATCH)
    write(f"  {len(rounds)} published rounds, {len(decisions)} decisions")
