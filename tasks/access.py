"""Who may see which notices and assignments; outside the scope is a 404.

Builds on branches.access (the organisation scopes) so every rule has one home.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from branches.access import editable_organisations, scope_for
from portal.access import get_in_scope_or_404
from tasks.models import Assignment, AssignmentFile, Notice, TaskItem, TaskItemFile


def _path_filter(prefix: str, paths) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def require_office(user) -> None:
    if not scope_for(user).is_office:
        raise Http404


def office_notices(user):
    """Notices of the committees the office user runs."""
    require_office(user)
    return Notice.objects.filter(committee__in=editable_organisations(user))


def get_notice_for_office(user, pk) -> Notice:
    return get_in_scope_or_404(office_notices(user).select_related("committee"), pk=pk)


def get_item_for_office(user, pk) -> TaskItem:
    items = TaskItem.objects.filter(area__notice__in=office_notices(user))
    return get_in_scope_or_404(items.select_related("area__notice__committee"), pk=pk)


def visible_assignments(user):
    """Reviewers (office, committee members, regional viewers) read their subtree; a branch
    editor reads his branches' assignments; everybody else nothing."""
    scope = scope_for(user)
    condition = Q(branch_id__in=scope.branch_ids)
    if scope.reads_across_branches:
        condition |= _path_filter("branch__", scope.view_paths)
    return Assignment.objects.live().filter(condition)


def reviewable_assignments(user):
    scope = scope_for(user)
    if not scope.is_office:
        return Assignment.objects.none()
    return Assignment.objects.live().filter(_path_filter("branch__", scope.edit_paths))


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


def can_edit_assignment(user, assignment: Assignment) -> bool:
    return assignment.branch_id in scope_for(user).branch_ids


def can_review_assignment(user, assignment: Assignment) -> bool:
    scope = scope_for(user)
    return scope.is_office and any(assignment.branch.path.startswith(p) for p in scope.edit_paths)
