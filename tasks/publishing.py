"""Publishing notices and keeping assignments in step with the organisation tree.

Publishing creates one Assignment per (item, target branch) in one transaction; a branch that
appears later gets its assignments from ``sync_assignments_for_branch``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Organisation, OrgKind
from portal.audit import log_action
from tasks.audit_actions import (
    ACTION_AREA_DELETED,
    ACTION_ITEM_DEADLINE_CHANGED,
    ACTION_ITEM_DEADLINE_RESOLVED,
    ACTION_ITEM_DELETED,
    ACTION_ITEM_WITHDRAWN,
    ACTION_NOTICE_COPIED,
    ACTION_NOTICE_PUBLISHED,
)
from tasks.errors import TransitionNotAllowed, refuse_date_outside_window
from tasks.models import (
    Assignment,
    ChangeKind,
    DeadlineRule,
    Notice,
    NoticeAttachment,
    NoticeStatus,
    TargetScope,
    TaskArea,
    TaskItem,
    TaskItemFile,
    local_today,
)
from tasks.reminders.changes import tell_item_branches, tell_notice_published
from tasks.reminders.planning import plan_for_assignments, plan_reminders_for_items


def target_branches(item: TaskItem, branches: list[Organisation]) -> list[Organisation]:
    """Which of the committee's active ``branches`` the item is meant for.

    Works on a list loaded once per notice so publishing costs the same whatever the number
    of items (chosen branches come from a prefetch).
    """
    return [branch for branch in branches if branch_is_targeted(item, branch)]


def branch_is_targeted(item: TaskItem, branch: Organisation) -> bool:
    if item.scope == TargetScope.IN_SERVICE:
        return branch.service == "in_service"
    if item.scope == TargetScope.CHOSEN:
        return any(chosen.pk == branch.pk for chosen in item.chosen_branches.all())
    return True


@transaction.atomic
def publish_notice(notice_id: int, user) -> int:
    """Publish a draft notice; returns the number of assignments created."""
    notice = Notice.objects.select_for_update().select_related("committee").get(pk=notice_id)
    if notice.status == NoticeStatus.PUBLISHED:
        raise TransitionNotAllowed(_("This notice is already published."))
    items = list(
        TaskItem.objects.filter(area__notice=notice, withdrawn_at__isnull=True).prefetch_related(
            "chosen_branches"
        )
    )
    if not items:
        raise TransitionNotAllowed(_("Add at least one task item before publishing."))
    branches = list(Organisation.objects.within(notice.committee).branches().active())
    rows = [
        Assignment(item=item, branch=branch)
        for item in items
        for branch in target_branches(item, branches)
    ]
    Assignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    rating_day = rating_date(notice.committee_id, notice.year)
    if rating_day is not None:
        resolve_rating_deadlines(notice.committee_id, notice.year, rating_day, user)
    notice.status = NoticeStatus.PUBLISHED
    notice.published_at = timezone.now()
    notice.save(update_fields=["status", "published_at"])
    plan_reminders_for_items([item.pk for item in items])  # once published: they are live
    log_action(
        notice,
        ACTION_NOTICE_PUBLISHED,
        user=user,
        data={"items": len(items), "assignments": len(rows)},
    )
    # The secretaries of the branches it reached, in this transaction (one row each).
    tell_notice_published(notice, {row.branch_id for row in rows})
    return len(rows)


def sync_assignments_for_branch(branch: Organisation) -> int:
    """Give a new or re-activated branch the assignments of live items it is targeted by.

    Only items whose deadline has not passed: a branch founded in December should not start
    with October's tasks already overdue.
    """
    if branch.kind != OrgKind.BRANCH or not branch.is_active:
        return 0
    ancestors = Organisation.objects.get_ancestors(branch).filter(kind=OrgKind.COMMITTEE)
    items = TaskItem.objects.live().filter(
        Q(deadline__gte=local_today()) | Q(deadline__isnull=True),
        area__notice__committee__in=ancestors,
    )
    rows = [
        Assignment(item=item, branch=branch)
        for item in items.prefetch_related("chosen_branches")
        if branch_is_targeted(item, branch)
    ]
    Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    plan_for_assignments(
        ids=Assignment.objects.open().filter(branch=branch).values_list("pk", flat=True)
    )
    return len(rows)


@transaction.atomic
def change_deadline(item_id: int, user, new_deadline: date | None) -> TaskItem:
    """Move an item's deadline; after publishing the change is audit-logged."""
    refuse_date_outside_window(new_deadline)
    item = TaskItem.objects.select_for_update().select_related("area__notice").get(pk=item_id)
    old = item.deadline
    if old == new_deadline:
        return item
    item.deadline = new_deadline
    item.save(update_fields=["deadline"])
    plan_reminders_for_items([item.pk])
    if item.area.notice.is_published:
        entry = log_action(
            item,
            ACTION_ITEM_DEADLINE_CHANGED,
            user=user,
            data={
                "from": old.isoformat() if old else None,
                "to": new_deadline.isoformat() if new_deadline else None,
            },
        )
        body = _("The deadline moved from %(old)s to %(new)s.") % {
            "old": old.isoformat(),
            "new": new_deadline.isoformat(),
        }
        # Keyed by the audit entry: each change of the deadline is told once.
        tell_item_branches(item, ChangeKind.ITEM_CHANGED, f"{item.pk}:{entry.pk}", body)
    return item


@transaction.atomic
def withdraw_item(item_id: int, user, reason: str = "") -> TaskItem:
    """Withdraw an item: its open assignments leave every to-do list; history stays."""
    item = TaskItem.objects.select_for_update().select_related("area__notice").get(pk=item_id)
    if item.is_withdrawn:
        raise TransitionNotAllowed(_("This task item is already withdrawn."))
    item.withdrawn_at = timezone.now()
    item.save(update_fields=["withdrawn_at"])
    plan_reminders_for_items([item.pk])
    log_action(item, ACTION_ITEM_WITHDRAWN, user=user, data={"comment": reason})
    if item.area.notice.is_published:
        body = _("The office withdrew this task; nothing more is owed.")
        if reason.strip():
            body = f"{body} {reason.strip()}"
        tell_item_branches(item, ChangeKind.WITHDRAWN, str(item.pk), body)
    return item


def rating_date(committee_id: int, year: int) -> date | None:
    """The day the year's star rating is decided, when the committee has opened its round."""
    # Looked up by name: the ratings app builds on tasks, so tasks does not import it.
    rating_round = apps.get_model("ratings", "RatingRound")
    return (
        rating_round.objects.filter(committee_id=committee_id, year=year)
        .values_list("decision_due", flat=True)
        .first()
    )


@transaction.atomic
def resolve_rating_deadlines(committee_id: int, year: int, day: date | None, user=None) -> int:
    """Give the year's "before the annual rating" items the rating's date (or none again when
    the round is gone); their reminders follow. Returns the number of items changed."""
    items = list(
        TaskItem.objects.select_for_update()
        .filter(
            deadline_rule=DeadlineRule.BEFORE_RATING,
            area__notice__committee_id=committee_id,
            area__notice__year=year,
        )
        .exclude(deadline=day)
    )
    for item in items:
        old = item.deadline
        item.deadline = day
        item.save(update_fields=["deadline"])
        log_action(
            item,
            ACTION_ITEM_DEADLINE_RESOLVED,
            user=user,
            data={
                "from": old.isoformat() if old else None,
                "to": day.isoformat() if day else None,
            },
        )
    if items:
        plan_reminders_for_items([item.pk for item in items])
    return len(items)


@transaction.atomic
def delete_area(area_id: int, user) -> Notice:
    """Delete an area of a draft notice with its sub-areas and items; a published one refuses."""
    area = TaskArea.objects.select_for_update().select_related("notice").get(pk=area_id)
    if area.notice.is_published:
        raise TransitionNotAllowed(
            _("The notice is published: its areas can no longer be deleted.")
        )
    # The audit entry names the notice: the area itself is gone afterwards.
    log_action(
        area.notice,
        ACTION_AREA_DELETED,
        user=user,
        data={"area": area.pk, "title": area.title, "number": area.number},
    )
    area.delete()
    return area.notice


@transaction.atomic
def delete_item(item_id: int, user) -> Notice:
    """Delete an item of a draft notice; a published item is withdrawn instead, never deleted."""
    item = TaskItem.objects.select_for_update().select_related("area__notice").get(pk=item_id)
    notice = item.area.notice
    if notice.is_published:
        raise TransitionNotAllowed(
            _("The notice is published: withdraw the item instead of deleting it.")
        )
    log_action(notice, ACTION_ITEM_DELETED, user=user, data={"item": item.pk, "title": item.title})
    item.delete()
    return notice


def _copy_file(field, name: str) -> ContentFile:
    """The stored file's bytes under a new name: each notice owns its files (no shared paths)."""
    with field.open("rb") as stored:
        return ContentFile(stored.read(), name=name)


@transaction.atomic
def copy_notice(source_id: int, user) -> Notice:
    """A new draft notice of the same committee starting from an earlier one.

    Copied: the header texts, areas (bodies, sub-areas), items (title, instructions, kind,
    scope, chosen branches, deadline rule, label), the items' files and the notice's
    attachments. The new notice is dated today with the committee's next issue number of this
    year. Fixed deadlines move forward by the days between the source's date and today, so a
    deadline three weeks after the old notice is three weeks after the new one; "before the
    annual rating" deadlines are left empty until that year's rating gives the date.
    """
    source = Notice.objects.get(pk=source_id)
    today = local_today()
    shift = today - source.date
    year = today.year
    last_issue = Notice.objects.filter(committee=source.committee, year=year).aggregate(
        last=Max("issue_number")
    )["last"]
    notice = Notice.objects.create(
        committee=source.committee,
        year=year,
        issue_number=(last_issue or 0) + 1,
        date=today,
        title=source.title,
        introduction=source.introduction,
        created_by=user,
    )
    new_areas: dict[int, TaskArea] = {}
    # Parents before their parts: a part's new parent must exist first.
    for area in source.areas.order_by(F("parent_id").asc(nulls_first=True), "number"):
        new_areas[area.pk] = TaskArea.objects.create(
            notice=notice,
            parent=new_areas[area.parent_id] if area.parent_id else None,
            number=area.number,
            heading=area.heading,
            title=area.title,
            description=area.description,
            body=area.body,
        )
    new_items: dict[int, TaskItem] = {}
    items = TaskItem.objects.filter(area__notice=source, withdrawn_at__isnull=True)
    for item in items.prefetch_related("chosen_branches", "files").order_by("id"):
        deadline = None
        if item.deadline_rule == DeadlineRule.FIXED and item.deadline is not None:
            deadline = item.deadline + timedelta(days=shift.days)
        copy = TaskItem.objects.create(
            area=new_areas[item.area_id],
            subarea=new_areas.get(item.subarea_id) if item.subarea_id else None,
            label=item.label,
            title=item.title,
            deadline_rule=item.deadline_rule,
            deadline=deadline,
            scope=item.scope,
            kind=item.kind,
            required_meeting_type=item.required_meeting_type,
            required_theme=item.required_theme,
            instructions=item.instructions,
            report_required=item.report_required,
        )
        copy.chosen_branches.set(item.chosen_branches.all())
        for stored in item.files.all():
            TaskItemFile.objects.create(
                item=copy,
                file=_copy_file(stored.file, stored.original_name),
                original_name=stored.original_name,
                size=stored.size,
            )
        new_items[item.pk] = copy
    for attachment in source.attachments.all():
        NoticeAttachment.objects.create(
            notice=notice,
            number=attachment.number,
            title=attachment.title,
            item=new_items.get(attachment.item_id) if attachment.item_id else None,
            form_kind=attachment.form_kind,
            file=_copy_file(attachment.file, attachment.original_name) if attachment.file else "",
            original_name=attachment.original_name,
        )
    log_action(notice, ACTION_NOTICE_COPIED, user=user, data={"source": source.pk})
    return notice
