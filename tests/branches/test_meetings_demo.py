"""seed_demo's branch life: a year of records with gaps, cases in every stage, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from branches.models import DevelopmentCase, MeetingRecord, RelationCase, RelationKind, Stage

pytestmark = pytest.mark.django_db


def test_demo_branch_life(db):
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        MeetingRecord.objects.count(),
        DevelopmentCase.objects.count(),
        RelationCase.objects.count(),
    )
    assert counts[0] > 200
    assert {case.stage for case in DevelopmentCase.objects.select_related("last_step")} == set(
        Stage.values
    )
    assert set(RelationCase.objects.values_list("kind", flat=True)) >= {
        RelationKind.LOST_CONTACT,
        RelationKind.POCKET,
        RelationKind.MOBILE,
        RelationKind.ABROAD,
    }
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        MeetingRecord.objects.count(),
        DevelopmentCase.objects.count(),
        RelationCase.objects.count(),
    ) == counts
