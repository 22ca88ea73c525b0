"""Saving a notice the office composed from its Word document: one draft, written at once.

The office checks the draft the portal read from the document (``tasks.import_forms``) and
saves it here in one transaction: the notice with the original file, its areas and sub-areas,
its items and its attachments, and one audit entry. A refusal changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from branches.access import editable_organisations
from branches.models import Organisation, OrgKind
from portal.audit import log_action
from portal.uploads import display_name
from tasks.access import get_reference_attachment_for_office
from tasks.audit_actions import ACTION_ATTACHMENT_FILE_UPLOADED, ACTION_NOTICE_IMPORTED
from tasks.errors import AccessRefused, TransitionNotAllowed, refuse_date_outside_window
from tasks.kinds import all_kinds
from tasks.models import DeadlineRule, Notice, NoticeAttachment, TaskArea, TaskItem


@dataclass
class ItemPlan:
    ref: int  # the item's place in the proposal, named by the attachments
    title: str
    instructions: str
    kind: str
    deadline_rule: str = DeadlineRule.FIXED
    deadline: date | None = None


@dataclass
class AreaPlan:
    number: int
    title: str
    body: str = ""
    items: list[ItemPlan] = field(default_factory=list)
    parts: list[AreaPlan] = field(default_factory=list)  # sub-areas (（一）…), one level


@dataclass
class AttachmentPlan:
    number: int
    title: str
    form_kind: str = ""  # empty: a reference document, uploaded later
    item_ref: int | None = None


@dataclass
class NoticePlan:
    committee: Organisation
    year: int
    issue_number: int
    date: date
    title: str
    introduction: str = ""
    areas: list[AreaPlan] = field(default_factory=list)
    attachments: list[AttachmentPlan] = field(default_factory=list)


def _free_number(wanted: int, taken: set[int]) -> int:
    """The document's number, or the next one after the highest when it is taken already (a
    document numbering two areas alike must still save)."""
    number = wanted if wanted > 0 and wanted not in taken else max(taken, default=0) + 1
    taken.add(number)
    return number


def _issue_taken(plan: NoticePlan) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("The committee already has issue %(number)s of %(year)s.")
        % {"number": plan.issue_number, "year": plan.year}
    )


def _check(plan: NoticePlan, user) -> None:
    committees = editable_organisations(user).filter(kind=OrgKind.COMMITTEE)
    if not committees.filter(pk=plan.committee.pk).exists():
        raise AccessRefused(_("You may not compose notices for this committee."))
    refuse_date_outside_window(plan.date)
    clash = Notice.objects.filter(
        committee=plan.committee, year=plan.year, issue_number=plan.issue_number
    )
    if clash.exists():
        raise _issue_taken(plan)
    kinds = {kind.key for kind in all_kinds()}
    for area in plan.areas:
        for item in [*area.items, *(i for part in area.parts for i in part.items)]:
            if item.deadline is not None:
                refuse_date_outside_window(item.deadline)
            if item.kind not in kinds:
                raise TransitionNotAllowed(_("Choose a deliverable kind for every item."))


def _create_item(plan: ItemPlan, area: TaskArea, part: TaskArea | None, label: int) -> TaskItem:
    rule = plan.deadline_rule
    return TaskItem.objects.create(
        area=area,
        subarea=part,
        label=str(label),
        title=plan.title,
        deadline_rule=rule,
        deadline=None if rule == DeadlineRule.NONE else plan.deadline,
        kind=plan.kind,
        instructions=plan.instructions,
    )


@transaction.atomic
def create_notice_from_document(
    plan: NoticePlan, user, *, source: bytes, source_name: str
) -> Notice:
    """Create the draft notice ``plan`` describes, keeping ``source`` (the Word document it was
    read from) with it. Nothing is published: the office adds and checks, then publishes."""
    _check(plan, user)
    try:
        with transaction.atomic():  # a savepoint: the same issue saved meanwhile is a refusal
            notice = Notice.objects.create(
                committee=plan.committee,
                year=plan.year,
                issue_number=plan.issue_number,
                date=plan.date,
                title=plan.title,
                introduction=plan.introduction,
                created_by=user,
            )
    except IntegrityError:
        raise _issue_taken(plan) from None
    items: dict[int, TaskItem] = {}
    label = 0
    area_numbers: set[int] = set()
    for area_plan in plan.areas:
        area = TaskArea.objects.create(
            notice=notice,
            number=_free_number(area_plan.number, area_numbers),
            title=area_plan.title,
            body=area_plan.body,
        )
        for item_plan in area_plan.items:
            label += 1
            items[item_plan.ref] = _create_item(item_plan, area, None, label)
        part_numbers: set[int] = set()
        for part_plan in area_plan.parts:
            part = TaskArea.objects.create(
                notice=notice,
                parent=area,
                number=_free_number(part_plan.number, part_numbers),
                title=part_plan.title,
                body=part_plan.body,
            )
            for item_plan in part_plan.items:
                label += 1
                items[item_plan.ref] = _create_item(item_plan, area, part, label)
    attachment_numbers: set[int] = set()
    for attachment in plan.attachments:
        NoticeAttachment.objects.create(
            notice=notice,
            number=_free_number(attachment.number, attachment_numbers),
            title=attachment.title,
            form_kind=attachment.form_kind,
            item=items.get(attachment.item_ref) if attachment.item_ref is not None else None,
        )
    name = display_name(source_name)
    # Last: a refusal above leaves no file behind.
    notice.source_file.save(name, ContentFile(source), save=False)
    notice.source_name = name
    notice.save(update_fields=["source_file", "source_name"])
    log_action(
        notice,
        ACTION_NOTICE_IMPORTED,
        user=user,
        data={
            "source": name,
            "areas": len(plan.areas),
            "items": len(items),
            "attachments": len(plan.attachments),
        },
    )
    return notice


@transaction.atomic
def attach_reference_file(attachment_id: int, user, upload) -> NoticeAttachment:
    """Store the file of a reference attachment (附件N the notice names but the portal does not
    generate), replacing an earlier one. ``upload`` was checked by its content (the form's
    CheckedFileField)."""
    try:
        attachment = get_reference_attachment_for_office(user, attachment_id)
    except Http404:
        raise AccessRefused(_("You may not change this attachment.")) from None
    attachment = NoticeAttachment.objects.select_for_update().get(pk=attachment.pk)
    before, old_file = attachment.original_name, attachment.file.name
    name = display_name(upload.name)
    attachment.file.save(name, upload, save=False)
    attachment.original_name = name
    attachment.save(update_fields=["file", "original_name"])
    log_action(
        attachment.notice,
        ACTION_ATTACHMENT_FILE_UPLOADED,
        user=user,
        data={"attachment": attachment.number, "file": name, "replaced": before},
    )
    if old_file:
        storage = attachment.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))  # kept if this rolls back
    return attachment
