"""The branch's side: the to-do list and one assignment's page (fill, save, submit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from branches.access import can_edit_organisation, get_organisation_for_user, scope_for
from portal.models import AuditEntry
from tasks import services
from tasks.access import (
    can_acknowledge_assignment,
    can_comment_on_assignment,
    can_edit_assignment,
    can_review_assignment,
    get_assignment_for_user,
    open_assignments_for,
)
from tasks.errors import AccessRefused, EditConflict, SubmitIncomplete, WorkflowError
from tasks.forms import CommentForm, ExtensionForm, ReviewForm
from tasks.kinds import get_kind
from tasks.models import OPEN_STATUSES, Assignment, AssignmentStatus

DONE_PER_PAGE = 20
EDITABLE = OPEN_STATUSES


def _branch_for_todo(user, pk):
    branch = get_organisation_for_user(user, pk)
    scope = scope_for(user)
    if not branch.is_branch:
        raise Http404
    if branch.pk not in scope.branch_ids and not (
        scope.is_office and can_edit_organisation(user, branch)
    ):
        raise Http404
    return branch


@login_required
def todo_list(request, pk: int):
    branch = _branch_for_todo(request.user, pk)
    done = (
        Assignment.objects.for_branch(branch)
        .live()
        .exclude(status__in=OPEN_STATUSES)
        .with_flags()
        .with_related()
        .order_by("-submitted_at", "-id")
    )
    return render(
        request,
        "tasks/branch/todo_list.html",
        {
            "branch": branch,
            "assignments": open_assignments_for(branch),
            "done_page": Paginator(done, DONE_PER_PAGE).get_page(request.GET.get("page")),
        },
    )


def _parse_version(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def assignment_detail(request, pk: int):
    assignment = get_assignment_for_user(request.user, pk)
    kind = get_kind(assignment.item.kind)
    can_edit = can_edit_assignment(request.user, assignment) and assignment.status in EDITABLE
    form = kind.form(assignment) if can_edit else None
    version = assignment.version
    current = None
    if request.method == "POST":
        if not can_edit:
            return _refuse_edit(request, assignment)
        form = kind.form(assignment, data=request.POST, files=request.FILES)
        posted_version = _parse_version(request.POST.get("version"))
        if posted_version is None:
            # The version is how concurrent edits are detected; without it nothing is saved.
            messages.error(request, _("The form was incomplete; please reload the page."))
        elif form.is_valid():
            try:
                return _save_or_submit(request, assignment, kind, form, posted_version)
            except EditConflict as exc:
                messages.error(request, exc.message)
                # Show what is saved now and let the next save (seen the warning) go through.
                current = Assignment.objects.get(pk=assignment.pk)
                version = current.version
            except SubmitIncomplete as exc:
                messages.error(request, " ".join(exc.messages))
                version = posted_version
                # apply() gave the form's objects ids that the rollback undid (a new sheet's
                # id would end up in the rows added next): show the input on fresh objects.
                form = kind.form(assignment, data=request.POST, files=request.FILES)
                form.is_valid()
            except AccessRefused as exc:
                raise Http404 from exc
            except WorkflowError as exc:
                messages.warning(request, exc.message)
                return redirect("tasks:assignment_detail", assignment.pk)
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved."))
            version = posted_version
    return render(
        request,
        "tasks/assignment_detail.html",
        _detail_context(request, assignment, kind, form, version, current),
    )


def _refuse_edit(request, assignment):
    if not can_edit_assignment(request.user, assignment):
        raise Http404
    if assignment.status == AssignmentStatus.SUBMITTED:
        messages.info(request, _("This task was already submitted; nothing was changed."))
    else:
        messages.warning(request, _("This task can no longer be changed."))
    return redirect("tasks:assignment_detail", assignment.pk)


def _save_or_submit(request, assignment, kind, form, version):
    def apply(locked):
        return kind.apply(form, locked, request.user)

    if request.POST.get("action") == "submit":
        saved = services.submit(assignment.pk, request.user, version=version, apply=apply)
        if saved.is_late:
            messages.warning(request, _("Submitted after the deadline; it is marked as late."))
        else:
            messages.success(request, _("Submitted. The office will review it."))
    else:
        services.save_draft(assignment.pk, request.user, version=version, apply=apply)
        messages.success(request, _("Draft saved."))
    return redirect("tasks:assignment_detail", assignment.pk)


def render_detail(request, assignment, *, review_form=None, extension_form=None, comment_form=None):
    """The assignment's page again with a refused review, extension or comment form, its
    errors on the fields and the input kept (nothing was changed)."""
    kind = get_kind(assignment.item.kind)
    can_edit = can_edit_assignment(request.user, assignment) and assignment.status in EDITABLE
    form = kind.form(assignment) if can_edit else None
    context = _detail_context(request, assignment, kind, form, assignment.version, None)
    context["review_form"] = review_form or context["review_form"]
    context["extension_form"] = extension_form or context["extension_form"]
    context["comment_form"] = comment_form or context["comment_form"]
    return render(request, "tasks/assignment_detail.html", context)


def _detail_context(request, assignment, kind, form, version, current):
    reviewer = can_review_assignment(request.user, assignment)
    # The two sides of the conversation see the thread and the history, and may write.
    side = can_comment_on_assignment(request.user, assignment)
    return {
        "assignment": assignment,
        # The review list's filters, so "… and next" stays in the same queue.
        "queue": request.GET.get("queue") or request.POST.get("queue", ""),
        "item": assignment.item,
        "kind": kind,
        "requirement": kind.describe_requirement(assignment.item),
        "form": form,
        "version": version,
        "current": current,
        "files": assignment.files.all(),
        "meetings": assignment.meetings.all(),
        "item_files": assignment.item.files.all(),
        "item_attachments": assignment.item.attachments.all(),
        "can_review": reviewer
        and assignment.status == AssignmentStatus.SUBMITTED
        and not kind.acknowledged_by_liaison,
        "can_acknowledge": assignment.status == AssignmentStatus.SUBMITTED
        and kind.acknowledged_by_liaison
        and can_acknowledge_assignment(request.user, assignment),
        "kind_context": kind.context(assignment) if kind.intro_template else {},
        "can_extend": reviewer and assignment.status != AssignmentStatus.APPROVED,
        "can_urge": reviewer and assignment.is_open,
        "review_form": ReviewForm(),
        "extension_form": ExtensionForm(initial={"until": assignment.due_date}),
        "history": AuditEntry.objects.for_object(assignment).select_related("user__person")[:30]
        if side
        else (),
        "comments": assignment.comments.select_related("author__person") if side else (),
        "comment_form": CommentForm() if side else None,
    }
