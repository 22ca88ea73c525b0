"""Builders for notices, items and assignments used by the tasks tests and the matrix."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.files.base import ContentFile

from branches.models import MeetingFile, MeetingRecord, MeetingType, Organisation
from tasks.models import (
    Assignment,
    AssignmentFile,
    Notice,
    Reminder,
    ReminderKind,
    TaskArea,
    TaskItem,
    TaskItemFile,
    local_today,
)
from tasks.publishing import publish_notice

# The smallest file every checker accepts as a pdf.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_issue = iter(range(1, 10_000))


def make_notice(committee: Organisation, *, title: str = "工作提示", **fields) -> Notice:
    fields.setdefault("year", 2022)
    fields.setdefault("issue_number", next(_issue))
    fields.setdefault("date", date(2022, 10, 18))
    return Notice.objects.create(committee=committee, title=title, **fields)


def make_item(
    notice: Notice,
    *,
    area_number: int = 1,
    deadline: date | None = None,
    kind: str = "report",
    chosen: list[Organisation] = (),
    **fields,
) -> TaskItem:
    area, _ = TaskArea.objects.get_or_create(
        notice=notice, number=area_number, defaults={"title": f"第{area_number}项工作"}
    )
    item = TaskItem.objects.create(
        area=area,
        title=fields.pop("title", "报送学习情况"),
        deadline=deadline or local_today() + timedelta(days=10),
        kind=kind,
        **fields,
    )
    if chosen:
        item.chosen_branches.set(chosen)
    return item


def published_item(committee, user=None, *, told: bool = False, **fields) -> TaskItem:
    """A one-item notice, published: every targeted branch has its assignment. The messages
    telling the secretaries of the publication are dropped unless ``told``: most tests count
    the deadline reminders alone."""
    notice = make_notice(committee)
    item = make_item(notice, **fields)
    publish_notice(notice.pk, user)
    if not told:
        Reminder.objects.filter(kind=ReminderKind.CHANGE, slot=f"published:{notice.pk}").delete()
    return item


def assignment_of(item: TaskItem, branch: Organisation) -> Assignment:
    return Assignment.objects.select_related("item__area__notice", "branch").get(
        item=item, branch=branch
    )


def attach_file(assignment: Assignment, name: str = "报告.pdf") -> AssignmentFile:
    return AssignmentFile.objects.create(
        assignment=assignment,
        file=ContentFile(PDF_BYTES, name=name),
        original_name=name,
        size=len(PDF_BYTES),
    )


def attach_item_file(item: TaskItem, name: str = "附件1.pdf") -> TaskItemFile:
    return TaskItemFile.objects.create(
        item=item, file=ContentFile(PDF_BYTES, name=name), original_name=name, size=len(PDF_BYTES)
    )


def make_meeting(branch: Organisation, **fields) -> MeetingRecord:
    fields.setdefault("meeting_type", MeetingType.THEMED_DAY)
    fields.setdefault("theme", "弘扬科学家精神主题党日")
    fields.setdefault("date", local_today())
    fields.setdefault("due_count", 15)
    fields.setdefault("present_count", 13)
    return MeetingRecord.objects.create(branch=branch, **fields)


def attach_meeting_file(meeting: MeetingRecord, name: str = "签到表.pdf") -> MeetingFile:
    return MeetingFile.objects.create(
        meeting=meeting, file=ContentFile(PDF_BYTES, name=name), original_name=name
    )


def form_assignment(personas, kind: str, *, branch="branch_a", year=2022, **fields):
    """The branch's assignment of a published one-item notice of this kind."""
    if year == 2022:
        item = published_item(personas.tree["committee"], kind=kind, **fields)
    else:
        notice = make_notice(personas.tree["committee"], year=year, date=date(year, 10, 18))
        item = make_item(notice, kind=kind, **fields)
        publish_notice(notice.pk, None)
    return assignment_of(item, personas.tree[branch])
