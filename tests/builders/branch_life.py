"""Builders for branch-life tests: meetings with attendance, development cases, relation cases."""

from __future__ import annotations

from datetime import date

from branches.models import (
    AttendanceStatus,
    DevelopmentStep,
    MeetingRecord,
    MeetingType,
    MemberType,
    Person,
)
from branches.services.development import StepInput, open_case, record_step
from branches.services.meetings import AttendanceInput, save_meeting


def members(branch, count: int, member_type=MemberType.FULL) -> list[Person]:
    return [
        Person.objects.create(
            name=f"党员{branch.pk}-{member_type}-{i}", branch=branch, member_type=member_type
        )
        for i in range(count)
    ]


def meeting_with_attendance(
    branch,
    present: int,
    absent: int,
    *,
    meeting_type=MeetingType.GENERAL_MEETING,
    day=date(2022, 10, 20),
) -> MeetingRecord:
    people = members(branch, present + absent)
    meeting = MeetingRecord(branch=branch, meeting_type=meeting_type, theme="党员大会", date=day)
    rows = [AttendanceInput(p.pk, AttendanceStatus.PRESENT) for p in people[:present]]
    rows += [AttendanceInput(p.pk, AttendanceStatus.ABSENT, "illness") for p in people[present:]]
    return save_meeting(meeting, user=None, attendance=rows)


def step(code: str) -> DevelopmentStep:
    return DevelopmentStep.objects.get(code=code)


def applicant_case(branch, applied=date(2020, 3, 1), born=date(1998, 5, 1)):
    return open_case(
        branch, values=StepInput(date=applied), user=None, name="申请人", birth_date=born
    )


def advance(case, code: str, day: date, **values):
    return record_step(case, step(code), values=StepInput(date=day, **values), user=None)


def case_up_to(branch, last_code: str):
    """A case with every step up to ``last_code`` recorded on valid dates."""
    introducers = members(branch, 2)
    plan = [
        ("talk", date(2020, 3, 15), {}),
        ("activist", date(2020, 10, 1), {}),
        ("activist_filed", date(2020, 10, 10), {}),
        ("contacts", date(2020, 10, 20), {}),
        ("cultivation", date(2021, 4, 1), {}),
        ("candidate", date(2021, 10, 8), {}),
        ("candidate_filed", date(2021, 10, 15), {}),
        ("introducers", date(2021, 10, 20), {"people": introducers}),
        ("political_review", date(2021, 11, 1), {"note": "政治审查合格"}),
        ("training", date(2021, 11, 10), {"training_days": 3}),
        ("committee_review", date(2021, 11, 15), {"end_date": date(2021, 11, 19)}),
        ("pre_review", date(2021, 11, 25), {}),
        ("application_form", date(2021, 12, 1), {}),
        ("branch_meeting", date(2021, 12, 10), {}),
        ("committee_talk", date(2021, 12, 20), {}),
        ("approval", date(2022, 1, 5), {}),
    ]
    case = applicant_case(branch)
    for code, day, values in plan:
        advance(case, code, day, **values)
        if code == last_code:
            break
    case.refresh_from_db()
    return case
