"""One filled form per kind, for the Excel tests that run over every attachment form."""

from __future__ import annotations

from datetime import date

from ratings.indicator_sets import load_default_indicators
from ratings.models import StarAnswer, StarSelfAssessment
from surveys.models import BrandMeasure, BrandPlan, Concern, ServiceSurvey
from tests.builders.surveys import concern_values, filled_rectification


def _survey(assignment):
    sheet = ServiceSurvey.objects.create(assignment=assignment)
    Concern.objects.create(sheet=sheet, position=1, **concern_values())
    Concern.objects.create(
        sheet=sheet,
        position=2,
        **concern_values(
            concern="食堂晚餐供应时间短",
            category=Concern.Category.LIFE,
            solver=Concern.Solver.BRANCH,
            method=Concern.Method.QUESTIONNAIRE,
            handling=Concern.Handling.DEADLINE,
            owner="王五",
            deadline=date(2022, 12, 15),
            result="已与后勤协调延长半小时",
            told_on=date(2022, 12, 20),
            told_channel="支部微信群",
            satisfaction=Concern.Satisfaction.SATISFIED,
            closed_on=date(2022, 12, 20),
        ),
    )
    return sheet


def _brand(assignment):
    sheet = BrandPlan.objects.create(
        assignment=assignment, brand_name="红心向党", slogan="科研报国", secretary="甲书记"
    )
    BrandMeasure.objects.create(
        sheet=sheet,
        position=1,
        measure="每季度举办科研沙龙",
        milestone=date(2022, 12, 31),
        owner="组织委员",
        output="沙龙 4 期",
    )
    BrandMeasure.objects.create(sheet=sheet, position=2, measure="党员先锋岗挂牌", owner="书记")
    return sheet


def _star(assignment):
    indicator_set = load_default_indicators()
    sheet = StarSelfAssessment.objects.create(
        assignment=assignment, indicator_set=indicator_set, self_star=4, secretary="甲书记"
    )
    for ind in indicator_set.indicators.all():
        StarAnswer.objects.create(
            assessment=sheet,
            indicator=ind,
            answer="yes" if ind.number % 4 else "no",
            evidence=f"会议记录第{ind.number}号",
        )
    return sheet


FILL = {
    "rectification": lambda a: filled_rectification(a, 3),
    "service_survey": _survey,
    "brand_plan": _brand,
    "star_self_assessment": _star,
}
# the header of a date column of each kind (None: the kind has none)
DATE_COLUMN = {
    "rectification": "Deadline",
    "service_survey": "Survey date",
    "brand_plan": "Milestone date",
    "star_self_assessment": None,
}
