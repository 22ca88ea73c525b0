"""Member development checks (DOMAIN.md §4): each a warning or a block, thresholds from data."""

from __future__ import annotations

from datetime import date

import pytest

from branches.models import (
    CalendarDay,
    CaseStep,
    DevelopmentCase,
    DisciplineKind,
    MemberType,
    PartyDiscipline,
    Person,
)
from branches.services import Refused, working_days
from branches.services.development import development_due, pipeline_snapshot
from tests.builders.branch_life import advance, applicant_case, case_up_to, members, step

pytestmark = pytest.mark.django_db


def test_applicant_under_18_is_blocked_and_nothing_saved(tree):
    with pytest.raises(Refused) as refused:
        applicant_case(tree["branch_a"], applied=date(2022, 3, 1), born=date(2004, 3, 2))
    assert "18" in refused.value.messages[0]
    assert (
        not DevelopmentCase.objects.exists() and not Person.objects.filter(name="申请人").exists()
    )


def test_applicant_of_18_on_the_day_is_accepted(tree):
    case = applicant_case(tree["branch_a"], applied=date(2022, 3, 2), born=date(2004, 3, 2))
    assert case.last_step.code == "application" and case.person.member_type == MemberType.NON_MEMBER


def test_talk_after_one_month_warns_but_saves(tree):
    case = applicant_case(tree["branch_a"], applied=date(2020, 3, 1))
    taken = advance(case, "talk", date(2020, 4, 2))
    assert taken.warnings and "1" in taken.warnings[0]


def test_step_dated_before_the_previous_step_is_blocked(tree):
    case = applicant_case(tree["branch_a"], applied=date(2020, 3, 1))
    with pytest.raises(Refused):
        advance(case, "talk", date(2020, 2, 28))
    assert CaseStep.objects.filter(case=case).count() == 1


def test_steps_cannot_be_skipped(tree):
    case = applicant_case(tree["branch_a"])
    with pytest.raises(Refused):
        advance(case, "activist", date(2020, 10, 1))


def test_activist_before_six_months_warns(tree):
    case = applicant_case(tree["branch_a"], applied=date(2020, 3, 1))
    advance(case, "talk", date(2020, 3, 10))
    assert advance(case, "activist", date(2020, 8, 1)).warnings


def test_candidate_within_a_year_of_activist_is_blocked(tree):
    case = case_up_to(tree["branch_a"], "cultivation")
    with pytest.raises(Refused) as refused:
        advance(case, "candidate", date(2021, 9, 30))
    assert "2021-10-01" in refused.value.messages[0]
    assert advance(case, "candidate", date(2021, 10, 1)).warnings == []


def test_introducers_must_be_two_full_members_not_on_probation(tree):
    branch = tree["branch_a"]
    case = case_up_to(branch, "candidate_filed")
    full = members(branch, 2)
    probationary = members(branch, 1, member_type=MemberType.PROBATIONARY)[0]
    with pytest.raises(Refused) as refused:
        advance(case, "introducers", date(2021, 10, 20), people=[full[0], probationary])
    assert probationary.name in refused.value.messages[0]
    with pytest.raises(Refused):
        advance(case, "introducers", date(2021, 10, 20), people=[full[0]])
    PartyDiscipline.objects.create(
        person=full[1], kind=DisciplineKind.PROBATION, start=date(2021, 1, 1), end=date(2022, 1, 1)
    )
    with pytest.raises(Refused):
        advance(case, "introducers", date(2021, 10, 20), people=full)
    assert advance(case, "introducers", date(2022, 1, 2), people=full).people.count() == 2


def test_political_review_needs_a_conclusion_and_training_its_length(tree):
    case = case_up_to(tree["branch_a"], "introducers")
    with pytest.raises(Refused):
        advance(case, "political_review", date(2021, 11, 1))
    advance(case, "political_review", date(2021, 11, 1), note="合格")
    with pytest.raises(Refused):
        advance(case, "training", date(2021, 11, 10), training_days=2, training_hours=20)
    assert advance(case, "training", date(2021, 11, 10), training_hours=24).pk


def test_public_notice_shorter_than_five_working_days_warns(tree):
    case = case_up_to(tree["branch_a"], "training")
    taken = advance(
        case, "committee_review", date(2021, 11, 18), end_date=date(2021, 11, 22)
    )  # Thu–Mon: 3
    assert taken.warnings


def test_working_days_skip_public_holidays_and_count_exchanged_weekend_days():

    # 2022-09-28 (Wed) to 2022-10-10 (Mon): nine weekdays by the calendar alone.
    start, end = date(2022, 9, 28), date(2022, 10, 10)
    assert working_days(start, end) == 9
    holiday = {date(2022, 10, d): False for d in range(1, 8)}
    exchanged = {date(2022, 10, 8): True, date(2022, 10, 9): True}
    # Five weekdays of the holiday are off; the worked weekend adds two.
    assert working_days(start, end, holiday) == 4
    assert working_days(start, end, holiday | exchanged) == 6
    assert working_days(start, end, {date(2023, 1, 2): False}) == 9  # outside the range


def _notice_warnings(step) -> list[str]:
    return [w for w in step.warnings if "working days" in w or "工作日" in w]


def test_a_public_notice_over_a_public_holiday_counts_only_working_days(tree):
    # Wednesday 29 December 2021 to Tuesday 4 January 2022: five weekdays, but New Year's Day
    # fell on a Saturday and Monday 3 January was the day off.
    # The published calendar already holds the day: the office's row replaces it.
    CalendarDay.objects.update_or_create(
        day=date(2022, 1, 3), defaults={"is_workday": False, "name": "元旦"}
    )
    case = case_up_to(tree["branch_a"], "training")  # trained 2021-11-10
    taken = advance(case, "committee_review", date(2021, 12, 29), end_date=date(2022, 1, 4))
    assert _notice_warnings(taken)
    CalendarDay.objects.filter(day=date(2022, 1, 3)).delete()
    case = case_up_to(tree["branch_b"], "training")
    taken = advance(case, "committee_review", date(2021, 12, 29), end_date=date(2022, 1, 4))
    assert not _notice_warnings(taken)  # the same dates without the holiday: five days


def test_approval_warns_after_3_months_and_blocks_after_6(tree):
    case = case_up_to(tree["branch_a"], "committee_talk")  # branch meeting 2021-12-10
    with pytest.raises(Refused):
        advance(case, "approval", date(2022, 6, 11))
    taken = advance(case, "approval", date(2022, 4, 1))
    assert taken.warnings
    case.person.refresh_from_db()
    assert case.person.member_type == MemberType.PROBATIONARY and case.person.joined_on == date(
        2021, 12, 10
    )


def test_conversion_meeting_before_a_year_of_probation_is_blocked(tree):
    case = case_up_to(tree["branch_a"], "approval")
    for code, day in [
        ("approval_filed", date(2022, 1, 10)),
        ("group_assigned", date(2022, 1, 15)),
        ("oath", date(2022, 2, 1)),
        ("probation_education", date(2022, 6, 1)),
        ("conversion_request", date(2022, 11, 20)),
    ]:
        advance(case, code, day)
    with pytest.raises(Refused):
        advance(case, "conversion_meeting", date(2022, 12, 9))
    advance(case, "conversion_meeting", date(2022, 12, 10))
    advance(case, "conversion_approval", date(2022, 12, 20))
    case.person.refresh_from_db()
    assert case.person.member_type == MemberType.FULL


def test_thresholds_are_data(tree):
    candidate = step("candidate")
    candidate.params = {"after": "activist", "months": 6}
    candidate.save()
    case = case_up_to(tree["branch_a"], "cultivation")
    assert advance(case, "candidate", date(2021, 4, 2)).pk


def test_development_due_lists_next_steps_of_the_month(tree):
    case = applicant_case(tree["branch_a"], applied=date(2022, 10, 10))
    due = development_due(date(2022, 11, 1))
    assert [(d.case, d.step.code, d.due_on) for d in due] == [(case, "talk", date(2022, 11, 10))]
    assert development_due(date(2022, 10, 1)) == []
    snapshot = pipeline_snapshot(tree["branch_a"], date(2022, 11, 1))
    assert snapshot["cases"][0]["next_step"].endswith("党组织派人谈话")
