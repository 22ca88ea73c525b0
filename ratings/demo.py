"""Demo step: attachment 4 of notice 2022 No. 3 becomes the star self-assessment, filled for
the branches that have started it. Idempotent."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from branches.models import Person, RoleKind
from ratings import services
from ratings.indicator_sets import current_set, load_default_indicators
from ratings.models import RatingRound, StarAnswer, StarSelfAssessment
from tasks.models import Assignment, AssignmentStatus, Notice, TaskItem

GAPS = "党员参与志愿服务比例偏低；理论学习与科研结合有待加强。下一步将建立积分制度并开展专题研讨。"


def seed_self_assessments(write=print) -> None:
    with transaction.atomic():
        load_default_indicators()
        switched = (
            TaskItem.objects.filter(
                label="5b", area__notice__year=2022, area__notice__issue_number=3
            )
            .exclude(kind="star_self_assessment")
            .update(kind="star_self_assessment")
        )
        assignments = (
            Assignment.objects.filter(
                item__label="5b", item__area__notice__year=2022, item__area__notice__issue_number=3
            )
            .exclude(status=AssignmentStatus.PENDING)
            .select_related("branch", "item__area__notice__committee")
            .order_by("branch__path")
        )
        filled = 0
        for index, assignment in enumerate(assignments):
            branch = assignment.branch
            # The committee's own set, as the form would pick it (copied from the template).
            indicator_set = current_set(assignment.item.area.notice.committee, 2022)
            sheet, created = StarSelfAssessment.objects.get_or_create(
                assignment=assignment,
                defaults={
                    "indicator_set": indicator_set,
                    "secretary": "支部书记",
                    "committee_members": "组织委员、宣传委员、纪检委员",
                    "full_members": 15 + index,
                    "probationary_members": index % 3,
                    "founded_on": branch.founded_on,
                    "last_election_on": branch.last_election_on,
                    "self_star": 3 + index % 3,
                    "gaps": GAPS,
                    "meeting_date": date(2022, 11, 15),
                },
            )
            if not created:
                continue
            StarAnswer.objects.bulk_create(
                StarAnswer(
                    assessment=sheet,
                    indicator=ind,
                    answer="no" if (ind.number + index) % 7 == 0 else "yes",
                    evidence="支部工作记录、会议纪要",
                )
                for ind in indicator_set.indicators.all()
            )
            filled += 1
    write(f"  star self-assessments: {switched} item switched, {filled} forms filled")


def seed_rating_rounds(write=print) -> None:
    """A published 2021 round (history) and a 2022 round with members' ratings, decided and
    published. Skipped when the committee already has a 2022 round."""
    notice = Notice.objects.filter(year=2022, issue_number=3).select_related("committee").first()
    if notice is None or RatingRound.objects.filter(committee=notice.committee, year=2022).exists():
        write("  rating rounds: nothing to do")
        return
    committee = notice.committee
    members = list(
        Person.objects.filter(
            roles__kind=RoleKind.COMMITTEE_MEMBER, roles__organisation=committee
        ).distinct()
    )
    with transaction.atomic():
        for year, stars in ((2021, (2, 3, 3, 4)), (2022, (3, 4, 3, 5, 2))):
            rating_round = services.open_round(committee, year, None)
            entries = list(rating_round.decisions.select_related("branch"))
            if year == 2022:
                for index, entry in enumerate(entries[:6]):
                    for offset, member in enumerate(members):
                        if member.branch_id == entry.branch_id:
                            continue
                        services.rate(
                            rating_round.pk,
                            entry.branch_id,
                            member,
                            star=min(5, 2 + (index + offset) % 4),
                            comment="三会一课记录完整，品牌创建有特色",
                        )
            services.close_round(rating_round.pk, None)
            for index, entry in enumerate(entries):
                services.decide(
                    rating_round.pk,
                    entry.branch_id,
                    star=stars[index % len(stars)],
                    rationale="结合年度考核与支部自评综合评定",
                    user=None,
                )
            services.publish(rating_round.pk, None)
    write(f"  rating rounds: 2021 and 2022 published for {committee}")
