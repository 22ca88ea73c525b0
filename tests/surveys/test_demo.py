"""seed_demo turns attachments 1–4 into their forms and fills several branches'; idempotent."""

from __future__ import annotations

import io

from django.core.management import call_command

from ratings.models import StarAnswer, StarSelfAssessment
from surveys.models import BrandPlan, Concern, RectificationItem, RectificationList, ServiceSurvey
from tasks.kinds import get_kind
from tasks.models import TaskItem


def _counts():
    return [
        m.objects.count()
        for m in (
            RectificationList,
            RectificationItem,
            ServiceSurvey,
            Concern,
            BrandPlan,
            StarSelfAssessment,
            StarAnswer,
        )
    ]


def test_seed_fills_the_forms_once(db):
    call_command("seed_demo", stdout=io.StringIO())
    kinds = dict(TaskItem.objects.values_list("label", "kind"))
    assert (kinds["2"], kinds["4"], kinds["5a"], kinds["5b"]) == (
        "rectification",
        "service_survey",
        "brand_plan",
        "star_self_assessment",
    )
    first = _counts()
    assert all(n >= 3 for n in first), first
    assert Concern.objects.needing_institute().sent_in().exists()
    submitted = RectificationList.objects.filter(assignment__status="submitted").first()
    assert get_kind("rectification").submit_errors(submitted.assignment) == []
    star = StarSelfAssessment.objects.filter(assignment__status="approved").first()
    assert get_kind("star_self_assessment").submit_errors(star.assignment) == []
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
