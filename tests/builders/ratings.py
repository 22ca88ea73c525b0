"""Builders for the rating-round tests: a second committee member, filled self-assessments."""

from __future__ import annotations

from branches.models import RoleKind
from ratings import services
from ratings.models import StarSelfAssessment
from tests.builders.branches import make_person
from tests.builders.kind_fills import FILL
from tests.builders.tasks import form_assignment


def second_member(personas):
    """A committee member who belongs to branch A (so he never rates branch A)."""
    person = make_person(
        "第二委员",
        personas.tree["branch_a"],
        username="committee2",
        roles=[(RoleKind.COMMITTEE_MEMBER, personas.tree["committee"])],
    )
    personas.people["committee2"] = person
    return person


def self_assess(personas, branch_key: str, star: int, year: int = 2022):
    assignment = form_assignment(personas, "star_self_assessment", branch=branch_key, year=year)
    FILL["star_self_assessment"](assignment)
    StarSelfAssessment.objects.filter(assignment=assignment).update(self_star=star)
    return assignment


def open_round(personas, year: int = 2022):
    return services.open_round(personas.tree["committee"], year, personas.user("office"))
