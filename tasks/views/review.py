"""The office's review: the list of submissions, approve / return, extensions and 催办."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import editable_organisations
from portal.access import get_in_scope_or_404
from tasks import services
from tasks.access import (
    get_assignment_for_user,
    office_notices,
    require_office,
    reviewable_assignments,
)
from tasks.errors import AccessRefused, WorkflowError
from tasks.forms import ExtensionForm, ReviewFilterForm, ReviewForm
from tasks.models import AssignmentStatus, UrgeRecord, local_today
from tasks.reminders.urge import held_message
from tasks.views.branch import render_detail

REVIEW_PER_PAGE = 25


@login_required
def review_list(request):
    require_office(request.user)
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = AssignmentStatus.SUBMITTED  # what waits for the office
    filters = ReviewFilterForm(
        params,
        notices=office_notices(request.user),
        branches=editable_organisations(request.user).branches(),
        statuses=AssignmentStatus.choices,
    )
    rows = reviewable_assignments(request.user)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["notice"]:
            rows = rows.filter(item__area__notice=data["notice"])
        if data["area"]:
            rows = rows.filter(item__area__number=data["area"])
        if data["kind"]:
            rows = rows.filter(item__kind=data["kind"])
        if data["branch"]:
            rows = rows.filter(branch=data["branch"])
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["due"]:
            rows = rows.due_within(int(data["due"]))
    ordering = ["item__deadline", "item__area__number", "branch__path"]
    if filters.is_valid() and filters.cleaned_data["order"] == "waiting":
        ordering = ["submitted_at", *ordering]  # the queue: who has waited longest first
    rows = (
        rows.with_flags()
        .with_related()
        .annotate(
            urged_today=Exists(
                UrgeRecord.objects.filter(assignment=OuterRef("pk"), urged_on=local_today())
            )
        )
        .order_by(*ordering)
    )
    page = Paginator(rows, REVIEW_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tasks/review/review_list.html", {"filters": filters, "page": page})


def _get_reviewable(request, pk):
    return get_in_scope_or_404(
        reviewable_assignments(request.user).select_related("branch", "item"), pk=pk
    )


def _get_detail(request, assignment):
    """The assignment as its page shows it (with the item's area and notice)."""
    return get_assignment_for_user(request.user, assignment.pk)


def _back(request, assignment):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("tasks:assignment_detail", assignment.pk)


@login_required
@require_POST
def assignment_review(request, pk: int):
    assignment = _get_reviewable(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        # Refused as a whole: approving without the comment would silently drop it.
        messages.error(request, _("Please correct the errors below; nothing was saved."))
        return render_detail(request, _get_detail(request, assignment), review_form=form)
    comment = form.cleaned_data["comment"]
    try:
        if request.POST.get("action") == "approve":
            services.approve(assignment.pk, request.user, comment=comment)
            messages.success(request, _("Approved."))
        else:
            services.return_for_changes(assignment.pk, request.user, comment=comment)
            messages.success(request, _("Returned to the branch with your comment."))
    except AccessRefused as exc:
        raise Http404 from exc
    except WorkflowError as exc:
        messages.error(request, exc.message)
    return _back(request, assignment)


@login_required
@require_POST
def assignment_extend(request, pk: int):
    assignment = _get_reviewable(request, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below; nothing was saved."))
        return render_detail(request, _get_detail(request, assignment), extension_form=form)
    try:
        services.grant_extension(
            assignment.pk,
            request.user,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )
    except AccessRefused as exc:
        raise Http404 from exc
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Extension granted to %(branch)s until %(date)s.")
            % {"branch": assignment.branch, "date": form.cleaned_data["until"].isoformat()},
        )
    return _back(request, assignment)


@login_required
@require_POST
def assignment_urge(request, pk: int):
    assignment = _get_reviewable(request, pk)
    try:
        services.urge(assignment.pk, request.user)
    except AccessRefused as exc:
        raise Http404 from exc
    except WorkflowError as exc:
        messages.warning(request, exc.message)
    else:
        text = _("Reminder recorded for %(branch)s.") % {"branch": assignment.branch}
        messages.success(request, " ".join(filter(None, [text, held_message()])))
    return _back(request, assignment)
