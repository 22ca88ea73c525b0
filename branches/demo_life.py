"""Demo branch life: a year (2022) of meeting records per in-service branch with some gaps,
the organisational-life meeting and member appraisal of the year before (held in January, with
grades) and a voted resolution, development cases in every stage, a few relation cases of each
type. Idempotent: a branch that already has records is left alone."""

from __future__ import annotations

import random
from datetime import date, timedelta

from branches.models import (
    AttendanceStatus,
    CalendarDay,
    DevelopmentCase,
    Disposition,
    MeetingRecord,
    MeetingType,
    Organisation,
    OrgKind,
    Person,
    RelationCase,
    RelationKind,
    Service,
)
from branches.services import Refused
from branches.services.development import StepInput, open_case, record_step, steps
from branches.services.life_rules import excellent_limit, save_appraisal
from branches.services.meetings import (
    AttendanceInput,
    add_resolution,
    attendance_people,
    save_meeting,
    voting_counts,
)
from branches.services.rules import ensure_default_rules

YEAR = 2022
LAST_MONTH = 10  # the notice is of 2022-10-18


#: The 2022 National Day holiday (State Council notice): 1–7 October off, the weekend of 8–9
#: October worked. The office enters each year's days in the admin.
NATIONAL_DAY_2022 = [(date(2022, 10, d), False) for d in range(1, 8)] + [
    (date(2022, 10, 8), True),
    (date(2022, 10, 9), True),
]


def seed_branch_life(write=print) -> None:
    ensure_default_rules()
    for day, is_workday in NATIONAL_DAY_2022:
        CalendarDay.objects.get_or_create(
            day=day, defaults={"is_workday": is_workday, "name": "国庆节"}
        )
    rng = random.Random(2022_3)
    branches = list(
        Organisation.objects.filter(kind=OrgKind.BRANCH, service=Service.IN_SERVICE).order_by(
            "path"
        )
    )
    made = 0
    for index, branch in enumerate(branches):
        if not MeetingRecord.objects.filter(branch=branch).exists():
            made += _meetings(branch, rng, gaps=index % 3)
        if not MeetingRecord.objects.filter(
            branch=branch, meeting_type=MeetingType.LIFE_MEETING
        ).exists():
            made += _life_and_appraisal(branch)
    cases = _development(branches, rng) if not DevelopmentCase.objects.exists() else 0
    relations = _relations(branches) if not RelationCase.objects.exists() else 0
    write(f"  {made} meeting records, {cases} development cases, {relations} relation cases")


def _meetings(branch, rng: random.Random, gaps: int) -> int:
    people = attendance_people(branch)
    skipped = set(rng.sample(range(1, LAST_MONTH + 1), gaps))
    count = 0
    for month in range(1, LAST_MONTH + 1):
        plan = [
            (MeetingType.COMMITTEE_MEETING, 8, "支委会"),
            (MeetingType.THEMED_DAY, 15, "主题党日"),
        ]
        if month in (3, 6, 9):
            plan += [
                (MeetingType.GENERAL_MEETING, 25, "党员大会"),
                (MeetingType.PARTY_LESSON, 26, "党课"),
            ]
        for meeting_type, day, theme in plan:
            if month in skipped and meeting_type == MeetingType.THEMED_DAY:
                continue
            also = [MeetingType.GROUP_MEETING] if meeting_type == MeetingType.THEMED_DAY else []
            meeting = MeetingRecord(
                branch=branch,
                meeting_type=meeting_type,
                theme=f"{month}月{theme}",
                date=date(YEAR, month, day),
                also_counts_as=also,
                place="党员活动室",
                chair=people[0].name if people else "",
                topics="学习党的二十大精神",
            )
            rows = [
                AttendanceInput(
                    p.pk,
                    AttendanceStatus.ABSENT if rng.random() < 0.12 else AttendanceStatus.PRESENT,
                    rng.choice(["business", "illness", "leave"]),
                )
                for p in people
            ]
            save_meeting(meeting, user=None, attendance=rows)
            count += 1
    return count


def _life_and_appraisal(branch) -> int:
    """The organisational-life meeting and the member appraisal of the year before, held in
    January as branches do, with every member's grade and the meeting's resolution voted."""
    people = attendance_people(branch)
    present = [AttendanceInput(p.pk, AttendanceStatus.PRESENT, "") for p in people]
    if len(present) > 2:
        present[-1] = AttendanceInput(people[-1].pk, AttendanceStatus.ABSENT, "business")
    life = save_meeting(
        MeetingRecord(
            branch=branch,
            meeting_type=MeetingType.LIFE_MEETING,
            theme=f"{YEAR - 1}年度组织生活会",
            date=date(YEAR, 1, 18),
            place="党员活动室",
            chair=people[0].name if people else "",
            topics="对照检查，开展批评和自我批评",
            summary="支部班子和党员逐一发言，查摆问题，明确整改措施",
        ),
        user=None,
        attendance=present,
    )
    appraisal = save_meeting(
        MeetingRecord(
            branch=branch,
            meeting_type=MeetingType.APPRAISAL,
            theme=f"{YEAR - 1}年度民主评议党员",
            date=date(YEAR, 1, 18),
            place="党员活动室",
            chair=people[0].name if people else "",
            topics="党员自评、互评和民主测评",
        ),
        user=None,
        attendance=present,
    )
    graded = [p for p in people if p.member_type == "full"]
    best = excellent_limit(len(graded))
    save_appraisal(
        appraisal,
        {p.pk: "excellent" if index < best else "qualified" for index, p in enumerate(graded)},
        user=None,
    )
    _due, voters = voting_counts(life)
    add_resolution(
        life,
        text="通过支部班子对照检查材料和整改清单",
        votes_for=voters,
        votes_against=0,
        votes_abstain=0,
        user=None,
    )
    return 2


def _development(branches, rng: random.Random) -> int:
    """One case per branch, each stopped at a different step, so every stage has cases."""
    all_steps = steps()
    made = 0
    for index, branch in enumerate(branches):
        stop = [1, 3, 6, 9, 12, 16, 20, 24, 2, 7, 15, 18][index % 12]
        full = list(Person.objects.filter(branch=branch, member_type="full").order_by("id")[2:4])
        day = date(2019, 3, 1)
        try:
            case = open_case(
                branch,
                values=StepInput(date=day),
                user=None,
                name=f"{branch.name[:2]}申请人{index + 1}",
                birth_date=date(1996, 5, 1 + index % 20),
            )
            for step in all_steps[1:stop]:
                day = _date_for(step.code, day, case)
                values = StepInput(
                    date=day,
                    actor="支部书记",
                    note="合格" if step.code == "political_review" else "",
                    people=full if step.code == "introducers" else [],
                    training_days=3 if step.code == "training" else None,
                    end_date=day + timedelta(days=7) if step.code == "committee_review" else None,
                )
                record_step(case, step, values=values, user=None)
        except Refused:
            continue
        made += 1
    return made


def _date_for(code: str, previous: date, case) -> date:
    taken = {s.step.code: s.date for s in case.steps.select_related("step")}
    if code == "activist":
        return taken["application"] + timedelta(days=200)
    if code == "candidate":
        return taken["activist"] + timedelta(days=370)
    if code == "conversion_request":
        return taken["branch_meeting"] + timedelta(days=340)
    if code == "conversion_meeting":
        return taken["branch_meeting"] + timedelta(days=370)
    return previous + timedelta(days=14)


def _relations(branches) -> int:
    made = 0
    specs = [
        (
            RelationKind.LOST_CONTACT,
            {
                "last_contact_on": date(2021, 12, 1),
                "last_life_on": date(2021, 11, 15),
                "dues_paid_until": date(2021, 11, 30),
            },
        ),
        (
            RelationKind.POCKET,
            {
                "letter_number": "沪科转〔2022〕7号",
                "letter_issued_on": date(2022, 3, 1),
                "letter_valid_until": date(2022, 5, 31),
                "destination": "徐汇区某街道党工委",
                "last_contact_on": date(2022, 3, 1),
            },
        ),
        (
            RelationKind.MOBILE,
            {"last_contact_on": date(2022, 8, 20), "destination": "北京某研究所"},
        ),
        (RelationKind.ABROAD, {"last_contact_on": date(2022, 2, 10), "destination": "德国海德堡"}),
        (
            RelationKind.LOST_CONTACT,
            {
                "last_contact_on": date(2019, 5, 1),
                "disposition": Disposition.STANDING_STOPPED,
                "disposition_meeting_on": date(2020, 6, 1),
                "disposition_approved_on": date(2020, 6, 20),
                "standing_stopped_on": date(2020, 6, 20),
            },
        ),
    ]
    for index, branch in enumerate(branches[:8]):
        kind, fields = specs[index % len(specs)]
        person = Person.objects.filter(branch=branch, member_type="full").order_by("-id").first()
        if person is None:
            continue
        RelationCase.objects.create(
            person=person,
            branch=branch,
            kind=kind,
            opened_on=date(2022, 10, 20),
            handler="组织委员",
            **fields,
        )
        made += 1
    return made
