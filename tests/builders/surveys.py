"""Filled attachment forms for the tests and the permission matrix."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from surveys.models import (
    BrandMeasure,
    BrandPlan,
    Concern,
    RectificationItem,
    RectificationList,
    ServiceSurvey,
)
from tasks.models import Assignment, AssignmentStatus
from tests.builders.tasks import form_assignment


def concern_values(**fields) -> dict:
    values = {
        "date": date(2022, 11, 2),
        "method": Concern.Method.FORUM,
        "people": "博士后 12 人",
        "concern": "实验楼夜间门禁时间过早，影响实验安排",
        "category": Concern.Category.RESEARCH,
        "suggestion": "延长门禁至 23 点",
        "solver": Concern.Solver.INSTITUTE,
        "sent_on": date(2022, 11, 5),
    }
    values.update(fields)
    return values


def submitted_survey(personas, branch="branch_a", **fields) -> ServiceSurvey:
    """A survey with one concern needing the institute, already handed in."""
    assignment = form_assignment(personas, "service_survey", branch=branch)
    sheet = ServiceSurvey.objects.create(assignment=assignment)
    Concern.objects.create(sheet=sheet, position=1, **concern_values(**fields))
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.SUBMITTED, submitted_at=now, first_submitted_at=now
    )
    return sheet


def rectification_values(**fields) -> dict:
    values = {
        "source": RectificationItem.Source.INSPECTION,
        "category": "组织建设",
        "problem": "支委会会议记录不规范",
        "goal": "记录规范完整",
        "measures": "统一使用新版支部工作手册",
        "owner": "张三",
        "committee_owner": "李四",
        "deadline": date(2022, 10, 31),
        "term": RectificationItem.Term.DEADLINE,
        "progress": "已完成培训",
        "status": RectificationItem.Status.IN_PROGRESS,
        "evidence": "",
        "meeting_date": date(2022, 10, 20),
        "remarks": "",
    }
    values.update(fields)
    return values


def filled_rectification(assignment, count: int = 2) -> RectificationList:
    sheet = RectificationList.objects.create(assignment=assignment, notes="按督查意见逐条整改")
    for n in range(1, count + 1):
        RectificationItem.objects.create(
            sheet=sheet, position=n, **rectification_values(problem=f"问题{n}")
        )
    return sheet


def submitted_brand_plan(assignment, **fields) -> BrandPlan:
    """A brand plan with one measure, handed in by the branch (the office reviews it)."""
    values = {"brand_name": "启明星", "slogan": "科研报国", "secretary": "王书记", **fields}
    plan = BrandPlan.objects.create(assignment=assignment, **values)
    BrandMeasure.objects.create(sheet=plan, position=1, measure="每季度开展一次联学共建")
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(
        status=AssignmentStatus.SUBMITTED, submitted_at=now, first_submitted_at=now
    )
    return plan
