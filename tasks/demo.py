"""Demo step: the 2022-10-18 work notice (第3期) as history, and a current notice of the same
structure dated around today, each with a realistic spread of branch progress.

Idempotent: a notice is looked up by (committee, year, issue); when it exists nothing changes.
States are written directly (not through the services) because they describe the past.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from branches.models import MeetingRecord, MeetingType, Organisation, OrgKind
from tasks.demo_text import AREAS, ATTACHMENTS, INTRODUCTION, ITEMS, NOTICE_DATE, REFERENCE_TEXT
from tasks.models import (
    Assignment,
    AssignmentStatus,
    Notice,
    NoticeAttachment,
    TaskArea,
    TaskItem,
    local_today,
)
from tasks.publishing import publish_notice

SH = ZoneInfo("Asia/Shanghai")
COMMITTEE = "中国科学院分子细胞科学卓越创新中心党委"
#: The current notice is dated this long before today, so its October-style deadlines have just
#: passed while the November ones are still ahead (every badge shows up, none by years).
CURRENT_AGE = timedelta(days=20)
CURRENT_ISSUE = 3
NO_DATE_HAND_IN = timedelta(days=30)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SH)


def seed_notice(write=print) -> None:
    committee = Organisation.objects.filter(name=COMMITTEE, kind=OrgKind.COMMITTEE).first()
    if committee is None:
        write("  committee missing: run the organisations step first")
        return
    _seed_one(committee, NOTICE_DATE, write)
    current = local_today() - CURRENT_AGE
    if current.year != NOTICE_DATE.year:
        _seed_one(committee, current, write)


def _seed_one(committee: Organisation, day: date, write) -> None:
    if Notice.objects.filter(committee=committee, year=day.year, issue_number=3).exists():
        write(f"  notice {day.year} No. 3 already loaded")
        return
    with transaction.atomic():
        notice = create_notice(committee, day)
        count = publish_notice(notice.pk, None)
        Notice.objects.filter(pk=notice.pk).update(published_at=_at(day, 9))
        _seed_meetings(notice)
        _seed_progress(notice)
    write(f"  notice {day.year} No. 3: {count} assignments")


def shifted(deadline: date | None, day: date) -> date | None:
    """The seed's deadline moved with the notice's date (same distance from the notice)."""
    return None if deadline is None else deadline + (day - NOTICE_DATE)


def create_notice(committee: Organisation, day: date = NOTICE_DATE) -> Notice:
    """The seed notice, dated ``day`` (its deadlines keep their distance from the date)."""
    notice = Notice.objects.create(
        committee=committee,
        year=day.year,
        issue_number=CURRENT_ISSUE,
        date=day,
        title="党支部工作提示",
        introduction=INTRODUCTION,
    )
    areas: dict[int, TaskArea] = {}
    parts: dict[tuple[int, int], TaskArea] = {}
    for area in AREAS:
        fields = {"notice": notice, "number": area.number, "title": area.title, "body": area.body}
        if area.parent is None:
            areas[area.number] = TaskArea.objects.create(**fields)
        else:
            parts[area.parent, area.number] = TaskArea.objects.create(
                parent=areas[area.parent], **fields
            )
    items = {}
    for item in ITEMS:
        items[item.label] = TaskItem.objects.create(
            area=areas[item.area],
            subarea=parts[item.area, item.subarea] if item.subarea else None,
            label=item.label,
            title=item.title,
            deadline_rule=item.rule,
            deadline=shifted(item.deadline, day),
            kind=item.kind,
            required_meeting_type=item.meeting_type,
            required_theme=item.theme,
            instructions=item.instructions,
            report_required=item.report_required,
        )
    for attachment in ATTACHMENTS:
        row = NoticeAttachment(
            notice=notice,
            number=attachment.number,
            title=attachment.title,
            item=items[attachment.item_label],
            form_kind=attachment.form_kind,
        )
        if not attachment.form_kind:
            name = f"附件{attachment.number}.txt"
            row.file.save(name, ContentFile(REFERENCE_TEXT.encode()), save=False)
            row.original_name = name
        row.save()
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
        MeetingRecord.objects.create(
            branch=branch,
            meeting_type=MeetingType.COMMITTEE_MEETING,
            theme="对照党建督查反馈意见研究整改举措",
            date=date(2022, 10, 20 + index % 5),
            place="支部活动室",
            chair="支部书记",
            recorder="组织委员",
            due_count=3,
            present_count=3,
            topics="逐条研究上海分院党建督查反馈意见（支部工作部分），明确整改举措和责任人",
            summary="形成本支部整改问题及举措清单，报党办。",
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
    if deadline is None:
        # No fixed date: the branches hand in about a month after the notice (never late).
        deadline = assignment.item.area.notice.date + NO_DATE_HAND_IN
    if deadline >= local_today():
        # No fixed deadline, or still ahead: some branches have started, none handed in late.
        if pattern == 3:
            _set(assignment, S.DRAFT, None)
        return
    if label in ("5c", "6") and pattern > 2:
        return  # left pending
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
    if assignment.item.kind == "meeting" or assignment.item.required_meeting_type:
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
