"""Who may see which notices and assignments; outside the scope is a 404.

Builds on branches.access (the organisation scopes) so every rule has one home.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from branches.access import editable_organisations, scope_for
from branches.models import within_paths_q
from portal.access import get_in_scope_or_404
from tasks.kinds import all_kinds
from tasks.models import (
    Assignment,
    AssignmentFile,
    Notice,
    NoticeAttachment,
    TaskItem,
    TaskItemFile,
)


def require_office(user) -> None:
    if not scope_for(user).is_office:
        raise Http404


def office_notices(user):
    """Notices of the committees the office user runs."""
    require_office(user)
    return Notice.objects.filter(committee__in=editable_organisations(user))


def get_notice_for_office(user, pk) -> Notice:
    return get_in_scope_or_404(office_notices(user).select_related("committee"), pk=pk)


def get_notice_source_for_office(user, pk) -> Notice:
    """The notice whose Word document (the one it was read from) the office downloads; a notice
    composed by hand has none (404)."""
    return get_in_scope_or_404(office_notices(user).exclude(source_file=""), pk=pk)


def get_item_for_office(user, pk) -> TaskItem:
    items = TaskItem.objects.filter(area__notice__in=office_notices(user))
    return get_in_scope_or_404(items.select_related("area__notice__committee"), pk=pk)


def overview_notices(user):
    """Notices whose whole matrix the user reads: the office (its committees, no query here) and
    regional viewers (every committee below their region)."""
    scope = scope_for(user)
    condition = Q(pk__in=[])
    if scope.is_office:
        condition |= Q(committee__in=editable_organisations(user))
    if scope.is_regional_viewer:
        condition |= within_paths_q(scope.view_paths, via="committee__")
    return Notice.objects.filter(condition)


def liaison_notices(user):
    """Notices of the committees a committee member sits on (he sees his liaison branches)."""
    scope = scope_for(user)
    if not scope.is_committee_member:
        return Notice.objects.none()
    return Notice.objects.filter(within_paths_q(scope.view_paths, via="committee__"))


def visible_assignments(user):
    """Reviewers (office, committee members, regional viewers) read their subtree; a branch
    editor reads his branches' assignments; everybody else nothing."""
    scope = scope_for(user)
    condition = Q(branch_id__in=scope.branch_ids)
    if scope.reads_across_branches:
        condition |= within_paths_q(scope.view_paths, via="branch__")
    return Assignment.objects.live().filter(condition)


def reviewable_assignments(user):
    scope = scope_for(user)
    if not scope.is_office:
        return Assignment.objects.none()
    return Assignment.objects.live().filter(within_paths_q(scope.edit_paths, via="branch__"))


def open_assignments_for(branch):
    """The branch's to-do rows with everything the list shows, in one query, returned ones first.
    Callers check that the user may see the branch's to-do list first (the list page, the branch
    page's panel)."""
    return Assignment.objects.for_branch(branch).open().with_flags().with_related().returned_first()


def keeps_branch(user, organisation) -> bool:
    """Whether the branch's tasks are the user's own to do (he edits the branch)."""
    return organisation.pk in scope_for(user).branch_ids


def get_assignment_for_user(user, pk) -> Assignment:
    return get_in_scope_or_404(
        visible_assignments(user).select_related("item__area__notice", "branch"), pk=pk
    )


def get_assignment_file_for_user(user, pk) -> AssignmentFile:
    return get_in_scope_or_404(
        AssignmentFile.objects.filter(assignment__in=visible_assignments(user)), pk=pk
    )


def get_item_file_for_user(user, pk) -> TaskItemFile:
    """A template file: the office of the notice, or a branch that owes the item."""
    scope = scope_for(user)
    condition = Q(item__assignments__branch_id__in=scope.branch_ids)
    if scope.is_office:
        condition |= Q(item__area__notice__committee__in=editable_organisations(user))
    files = TaskItemFile.objects.filter(condition).distinct()
    return get_in_scope_or_404(files, pk=pk)


def get_notice_attachment_for_user(user, pk) -> NoticeAttachment:
    """An attachment of a notice: its office, or a branch that owes one of its items."""
    scope = scope_for(user)
    condition = Q(notice__areas__items__assignments__branch_id__in=scope.branch_ids)
    if scope.is_office:
        condition |= Q(notice__committee__in=editable_organisations(user))
    attachments = NoticeAttachment.objects.filter(condition).exclude(file="").distinct()
    return get_in_scope_or_404(attachments, pk=pk)


def get_form_attachment_for_user(user, pk) -> NoticeAttachment:
    """A form attachment of a notice (its blank template is generated): the notice's office, or
    a branch that owes one of its items."""
    scope = scope_for(user)
    condition = Q(notice__areas__items__assignments__branch_id__in=scope.branch_ids)
    if scope.is_office:
        condition |= Q(notice__committee__in=editable_organisations(user))
    attachments = NoticeAttachment.objects.filter(condition).exclude(form_kind="").distinct()
    return get_in_scope_or_404(attachments, pk=pk)


def get_reference_attachment_for_office(user, pk) -> NoticeAttachment:
    """A reference attachment (not a form) of one of the office's notices, to upload its file."""
    attachments = NoticeAttachment.objects.filter(notice__in=office_notices(user), form_kind="")
    return get_in_scope_or_404(attachments.select_related("notice"), pk=pk)


def acknowledgeable_assignments(user):
    """Submissions a liaison committee member acknowledges: those of kinds acknowledged by the
    liaison member, of the branches the user is liaison member of."""
    keys = [kind.key for kind in all_kinds() if kind.acknowledged_by_liaison]
    return Assignment.objects.live().filter(item__kind__in=keys, branch__liaison_members__user=user)


def get_assignment_to_acknowledge(user, pk) -> Assignment:
    return get_in_scope_or_404(acknowledgeable_assignments(user).distinct(), pk=pk)


def can_acknowledge_assignment(user, assignment: Assignment) -> bool:
    return acknowledgeable_assignments(user).filter(pk=assignment.pk).exists()


def can_edit_assignment(user, assignment: Assignment) -> bool:
    return assignment.branch_id in scope_for(user).branch_ids


def can_review_assignment(user, assignment: Assignment) -> bool:
    scope = scope_for(user)
    return scope.is_office and any(assignment.branch.path.startswith(p) for p in scope.edit_paths)


def can_comment_on_assignment(user, assignment: Assignment) -> bool:
    """The two sides of the conversation: the branch's editors and the reviewing office (a
    committee member or regional viewer reads the page but does not write in it)."""
    return can_edit_assignment(user, assignment) or can_review_assignment(user, assignment)
