"""Branch-life rules kept as numbers (DOMAIN.md §3): committee size and term, the secretary's
yearly Party lesson, the share of 优秀, Party standing from the end of the probation."""

from __future__ import annotations

from datetime import date

import pytest

from branches.models import (
    AppraisalGrade,
    AppraisalResult,
    LifeRule,
    MeetingRecord,
    MeetingType,
    MemberType,
    RoleKind,
)
from branches.services import Refused
from branches.services.life_rules import (
    committee_warnings,
    excellent_limit,
    party_standing_years,
    save_appraisal,
    secretary_lesson_warnings,
)
from tests.builders.branch_life import advance, case_up_to, members
from tests.builders.branches import make_person

pytestmark = pytest.mark.django_db


def _branch_with(tree, full: int, committee: int, elected=date(2024, 6, 1)):
    branch = tree["branch_a"]
    branch.last_election_on = elected
    branch.save()
    people = members(branch, full)
    kinds = [RoleKind.SECRETARY, RoleKind.DEPUTY_SECRETARY, RoleKind.ORGANISATION_MEMBER]
    for i, person in enumerate(people[:committee]):
        person.roles.create(organisation=branch, kind=kinds[min(i, 2)])
    return branch


def test_the_numbers_are_rows_the_office_can_edit(db):
    assert LifeRule.objects.get(code="committee_from_members").value == 7
    assert LifeRule.objects.get(code="term_years").value == 3
    assert LifeRule.objects.get(code="self_departure_months").value == 6


def test_seven_full_members_need_a_committee_of_three_to_five(tree):
    branch = _branch_with(tree, 7, 2)
    assert any("3" in w and "5" in w for w in committee_warnings(branch, date(2025, 1, 1)))
    third = branch.people.exclude(roles__organisation=branch).first()
    third.roles.create(organisation=branch, kind=RoleKind.ORGANISATION_MEMBER)
    assert committee_warnings(branch, date(2025, 1, 1)) == []


def test_six_full_members_need_no_committee(tree):
    branch = _branch_with(tree, 6, 1)
    assert committee_warnings(branch, date(2025, 1, 1)) == []


def test_the_committee_numbers_follow_the_rows(tree):
    LifeRule.objects.filter(code="committee_from_members").update(value=6)
    branch = _branch_with(tree, 6, 1)
    assert committee_warnings(branch, date(2025, 1, 1))


def test_fewer_than_three_full_members_warns(tree):
    branch = _branch_with(tree, 2, 1)
    assert any("3" in w for w in committee_warnings(branch, date(2025, 1, 1)))


def test_the_term_ends_exactly_three_years_after_the_election(tree):
    branch = _branch_with(tree, 3, 1, elected=date(2022, 6, 1))
    assert committee_warnings(branch, date(2025, 5, 31)) == []
    warnings = committee_warnings(branch, date(2025, 6, 1))
    assert len(warnings) == 1 and "2025-06-01" in warnings[0]


def test_no_election_date_warns(tree):
    branch = _branch_with(tree, 3, 1, elected=None)
    assert committee_warnings(branch, date(2025, 1, 1))


def _lesson(branch, chair: str, day=date(2025, 5, 1)):
    return MeetingRecord.objects.create(
        branch=branch, meeting_type=MeetingType.PARTY_LESSON, theme="党课", date=day, chair=chair
    )


def test_secretary_without_a_party_lesson_in_the_year_is_warned_from_the_last_quarter(tree):
    branch = tree["branch_a"]
    make_person("甲书记", branch, roles=[(RoleKind.SECRETARY, branch)])
    _lesson(branch, "别人")
    assert secretary_lesson_warnings(branch, 2025, date(2025, 9, 30)) == []
    assert secretary_lesson_warnings(branch, 2025, date(2025, 10, 1))
    _lesson(branch, "甲书记", day=date(2025, 11, 1))
    assert secretary_lesson_warnings(branch, 2025, date(2026, 1, 1)) == []


def _appraisal(branch):
    return MeetingRecord.objects.create(
        branch=branch, meeting_type=MeetingType.APPRAISAL, theme="民主评议", date=date(2025, 12, 1)
    )


def test_excellent_may_be_exactly_one_third(tree):
    branch = tree["branch_a"]
    people = members(branch, 9)
    grades = {p.pk: AppraisalGrade.QUALIFIED for p in people}
    grades.update({p.pk: AppraisalGrade.EXCELLENT for p in people[:3]})
    assert save_appraisal(_appraisal(branch), grades, user=None) == 9


def test_excellent_above_one_third_is_refused_and_nothing_saved(tree):
    branch = tree["branch_a"]
    people = members(branch, 9)
    grades = {p.pk: AppraisalGrade.QUALIFIED for p in people}
    grades.update({p.pk: AppraisalGrade.EXCELLENT for p in people[:4]})
    with pytest.raises(Refused):
        save_appraisal(_appraisal(branch), grades, user=None)
    assert not AppraisalResult.objects.exists()


def test_the_limit_rounds_down():
    assert [excellent_limit(n) for n in (2, 3, 5, 6, 10)] == [0, 1, 1, 2, 3]


def test_party_standing_counts_from_the_end_of_the_probation(tree):
    case = case_up_to(tree["branch_a"], "approval")  # branch meeting 2021-12-10
    for code, day in [
        ("approval_filed", date(2022, 1, 10)),
        ("group_assigned", date(2022, 1, 15)),
        ("oath", date(2022, 2, 1)),
        ("probation_education", date(2022, 6, 1)),
        ("conversion_request", date(2022, 11, 15)),
        ("conversion_meeting", date(2022, 12, 12)),
        ("conversion_approval", date(2023, 1, 20)),
    ]:
        advance(case, code, day)
    person = case.person
    person.refresh_from_db()
    assert person.member_type == MemberType.FULL
    assert person.joined_on == date(2021, 12, 10) and person.full_member_on == date(2022, 12, 10)
    assert party_standing_years(person, date(2025, 12, 9)) == 2
    assert party_standing_years(person, date(2025, 12, 10)) == 3
