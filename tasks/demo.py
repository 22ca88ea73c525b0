"""Demo step: the 2022-10-18 work notice (第3期) with a realistic spread of branch progress.

Idempotent: the notice is looked up by (committee, year, issue); when it exists nothing changes.
States are written directly (not through the services) because they describe the past.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import transaction

from branches.models import MeetingRecord, MeetingType, Organisation, OrgKind
from tasks.models import (
    Assignment,
    AssignmentStatus,
    Notice,
    TaskArea,
    TaskItem,
)
from tasks.publishing import publish_notice

SH = ZoneInfo("Asia/Shanghai")
COMMITTEE = "中国科学院分子细胞科学卓越创新中心党委"

AREAS = {
    1: "深入开展党的二十大精神学习宣贯工作",
    2: "落实党建督查党支部相关问题的整改",
    3: "深入开展弘扬科学家精神专项活动",
    4: "持续开展“我为群众办实事”实践活动",
    5: "深入开展“基层组织建设见成效”活动",
    6: "持续做好政治吸纳和党员发展工作",
    7: "党组织关系专项整治工作",
}


class DemoItem(NamedTuple):
    area: int
    label: str
    title: str
    deadline: date
    kind: str = "report"
    meeting_type: str = ""
    theme: str = ""


ITEMS = [
    DemoItem(
        1,
        "1",
        "组织至少一次学习交流活动并上报学习研讨情况",
        date(2022, 10, 31),
        "meeting",
        theme="二十大",
    ),
    DemoItem(2, "2", "召开支委会，报送《党支部相关整改问题及举措》（附件1）", date(2022, 10, 31)),
    DemoItem(
        3,
        "3",
        "开展一次弘扬科学家精神主题党日活动",
        date(2022, 11, 30),
        "meeting",
        MeetingType.THEMED_DAY,
        "科学家精神",
    ),
    DemoItem(4, "4", "报送《“我为群众办实事”调研情况表》（附件2）", date(2022, 11, 30)),
    DemoItem(5, "5a", "完善《“一支部一品牌”创建计划表》（附件3）", date(2022, 10, 31)),
    DemoItem(5, "5b", "完成“四强·星级”自评估，填写自评表（附件4）", date(2022, 11, 20)),
    DemoItem(5, "5c", "“三会一课”自查并向联系党委委员汇报", date(2022, 12, 20)),
    DemoItem(6, "6", "报送入党申请人及党员发展情况", date(2022, 12, 20)),
    DemoItem(7, "7", "报告失联党员、“口袋”党员联络整改情况", date(2022, 11, 30)),
]

INTRODUCTION = (
    "根据院党组、上级党组织各项工作部署，为深入学习贯彻党的二十大精神，提升基层党组织建设质量，"
    "加快推进党建科研工作深度融合，现就近期党支部主要工作提示如下。"
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SH)


def seed_notice(write=print) -> None:
    committee = Organisation.objects.filter(name=COMMITTEE, kind=OrgKind.COMMITTEE).first()
    if committee is None:
        write("  committee missing: run the organisations step first")
        return
    if Notice.objects.filter(committee=committee, year=2022, issue_number=3).exists():
        write("  notice 2022 No. 3 already loaded")
        return
    with transaction.atomic():
        notice = _create_notice(committee)
        count = publish_notice(notice.pk, None)
        Notice.objects.filter(pk=notice.pk).update(published_at=_at(date(2022, 10, 18), 9))
        _seed_meetings(notice)
        _seed_progress(notice)
    write(f"  notice 2022 No. 3: {count} assignments")


def _create_notice(committee: Organisation) -> Notice:
    notice = Notice.objects.create(
        committee=committee,
        year=2022,
        issue_number=3,
        date=date(2022, 10, 18),
        title="党支部工作提示",
        introduction=INTRODUCTION,
    )
    areas = {
        number: TaskArea.objects.create(notice=notice, number=number, title=title)
        for number, title in AREAS.items()
    }
    for item in ITEMS:
        TaskItem.objects.create(
            area=areas[item.area],
            label=item.label,
            title=item.title,
            deadline=item.deadline,
            kind=item.kind,
            required_meeting_type=item.meeting_type,
            required_theme=item.theme,
        )
    return notice


def _branches(notice: Notice) -> list[Organisation]:
    return list(
        Organisation.objects.within(notice.committee).branches().in_service().order_by("path")
    )


def _seed_meetings(notice: Notice) -> None:
    for index, branch in enumerate(_branches(notice)):
        if MeetingRecord.objects.filter(branch=branch).exists():
            continue
        MeetingRecord.objects.create(
            branch=branch,
            meeting_type=MeetingType.GENERAL_MEETING,
            theme="学习贯彻党的二十大精神交流会",
            date=date(2022, 10, 25 + index % 5),
            place="学术报告厅",
            chair="支部书记",
            recorder="组织委员",
            due_count=15,
            present_count=13,
            absentees="出差 1 人\n病假 1 人",
            topics="学习二十大报告；党员交流学习心得",
            summary="全体党员结合科研工作谈体会。",
        )
        if index % 3 != 2:
            MeetingRecord.objects.create(
                branch=branch,
                meeting_type=MeetingType.THEMED_DAY,
                theme="弘扬科学家精神主题党日",
                date=date(2022, 11, 15 + index % 10),
                place="王应睐纪念室",
                due_count=15,
                present_count=14,
                topics="讲述老科学家故事",
            )


def _seed_progress(notice: Notice) -> None:
    """Spread states so every badge of the to-do list and the review list shows up."""
    for index, branch in enumerate(_branches(notice)):
        rows = Assignment.objects.filter(item__area__notice=notice, branch=branch).select_related(
            "item"
        )
        for assignment in rows:
            _seed_step(assignment, index)


def _seed_step(assignment: Assignment, index: int) -> None:
    """One assignment's state, by a pattern that varies with the branch and the item."""
    S = AssignmentStatus
    label = assignment.item.label
    pattern = (index + len(label) + assignment.item.area.number) % 6
    deadline = assignment.item.deadline
    if label in ("5c", "6") and pattern > 2:
        return  # left pending (and overdue by now)
    if pattern == 0:
        _set(assignment, S.APPROVED, _at(deadline, 9), approved=_at(deadline, 15))
    elif pattern == 1:
        comment = "请补充支委会会议记录和整改责任人。"
        _set(assignment, S.RETURNED, _at(deadline, 9), comment=comment)
    elif pattern == 2:
        _set(assignment, S.SUBMITTED, _at(date.fromordinal(deadline.toordinal() + 3)))
    elif pattern == 3:
        _set(assignment, S.DRAFT, None)
    elif pattern == 4:
        _set(assignment, S.SUBMITTED, _at(deadline, 8))
    # pattern 5: pending


def _set(assignment, status, submitted, *, approved=None, comment="") -> None:
    if assignment.item.kind == "meeting":
        meetings = MeetingRecord.objects.filter(branch=assignment.branch_id)
        if assignment.item.required_meeting_type:
            meetings = meetings.filter(meeting_type=assignment.item.required_meeting_type)
        assignment.meetings.set(meetings[:1])
    assignment.report_text = "本支部已按要求完成，情况如下：……"
    assignment.status = status
    assignment.submitted_at = submitted
    assignment.first_submitted_at = submitted
    assignment.approved_at = approved
    assignment.returned_at = _at(submitted.date(), 16) if comment else None
    assignment.review_comment = comment
    assignment.save()
