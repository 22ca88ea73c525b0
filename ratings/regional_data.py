"""The ratings' part of the regional synthetic data (``manage.py build_regional_data``): last
year's rating round of every committee, published, with a star for each branch; and in the
workbook's notice, attachment 4 (the star self-assessment) filled by every branch, so the
workbook measured by ``make bench`` carries its sheets too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from branches.models import Organisation
from portal.regional_data import RegionalData
from ratings.demo import GAPS
from ratings.indicator_sets import current_set, load_default_indicators
from ratings.models import (
    IndicatorSet,
    RatingRound,
    RoundStatus,
    StarAnswer,
    StarDecision,
    StarSelfAssessment,
)
from tasks.models import Assignment
from tasks.regional_data import switch_workbook_items

BATCH = 5000
#: The workbook notice's item (by position) that becomes the self-assessment: after the
#: surveys' three forms.
SELF_ASSESSMENT_ITEM = 3


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


def build_regional_self_assessments(data: RegionalData, write: Callable[[str], None]) -> None:
    load_default_indicators()
    items = switch_workbook_items(data, SELF_ASSESSMENT_ITEM, "star_self_assessment")
    rows = (
        Assignment.objects.filter(item_id__in=items)
        .order_by("pk")
        .values_list("pk", "item__area__notice__committee_id", "item__area__notice__year")
    )
    committees = Organisation.objects.in_bulk(list(data.branches))
    sets: dict[tuple[int, int], IndicatorSet | None] = {}
    sheets = []
    for index, (pk, committee_id, year) in enumerate(rows):
        if (committee_id, year) not in sets:
            sets[committee_id, year] = current_set(committees[committee_id], year)
        sheets.append(
            StarSelfAssessment(
                assignment_id=pk,
                indicator_set=sets[committee_id, year],
                secretary="支部书记",
                committee_members="组织委员、宣传委员、纪检委员",
                full_members=15 + index % 30,
                probationary_members=index % 3,
                self_star=3 + index % 3,
                gaps=GAPS,
            )
        )
    sheets = StarSelfAssessment.objects.bulk_create(sheets, batch_size=BATCH)
    indicators = {
        indicator_set.pk: list(indicator_set.indicators.order_by("number"))
        for indicator_set in sets.values()
        if indicator_set is not None
    }
    answers = [
        StarAnswer(
            assessment=sheet,
            indicator=indicator,
            answer="no" if (indicator.number + n) % 7 == 0 else "yes",
            evidence="支部工作记录、会议纪要",
        )
        for n, sheet in enumerate(sheets)
        for indicator in indicators[sheet.indicator_set_id]
    ]
    StarAnswer.objects.bulk_create(answers, batch_size=BATCH)
    write(f"  star self-assessments: {len(sheets)} forms, {len(answers)} answers")
