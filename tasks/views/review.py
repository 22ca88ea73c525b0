"""The office's review: the list of submissions, approve / return, extensions and 催办."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from branches.access import editable_organisations
from branches.models import within_paths_q
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
from tasks.review_paging import DEADLINE_ORDER, DeadlineOrderedRows
from tasks.views.branch import render_detail

REVIEW_PER_PAGE = 25
TEXTS_NOT_SHOWN = (
    "report_text",
    "review_comment",
    "item__instructions",
    "item__area__description",
    "item__area__body",
)
BULK_MAX = 100  # more than a page's worth of ticks is not a form the list sends


def _queue(user, params: QueryDict) -> tuple[ReviewFilterForm, QuerySet]:
    """The review list's filters and the assignments they select (unordered, no extras)."""
    params = params.copy()
    if "status" not in params:
        params["status"] = AssignmentStatus.SUBMITTED  # what waits for the office
    filters = ReviewFilterForm(
        params,
        notices=office_notices(user),
        organisations=editable_organisations(user),
        statuses=AssignmentStatus.choices,
    )
    rows = reviewable_assignments(user)
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
        if data["general_branch"]:
            path = filters.general_paths[data["general_branch"]]
            rows = rows.filter(within_paths_q([path], via="branch__"))
        if data["status"]:
            rows = rows.filter(status=data["status"])
        if data["due"]:
            rows = rows.due_within(int(data["due"]))
    return filters, rows


@login_required
def review_list(request):
    require_office(request.user)
    filters, rows = _queue(request.user, request.GET)
    # The texts stay in the database, and the notices: the list shows none of them (an area's
    # text as issued would otherwise come along with each of its rows).
    shown = rows.with_flags().select_related("item__area", "branch").defer(*TEXTS_NOT_SHOWN)
    if filters.is_valid() and filters.cleaned_data["order"] == "waiting":
        # The queue: who has waited longest first (a sort over every matching row).
        listed = shown.order_by("submitted_at", *DEADLINE_ORDER)
    else:
        listed = DeadlineOrderedRows(rows, shown)
    page = Paginator(listed, REVIEW_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    queue = request.GET.copy()
    queue.pop("page", None)
    return render(
        request,
        "tasks/review/review_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": _shown_rows(page.object_list, queue.urlencode()),
            "queue": queue.urlencode(),
        },
    )


def _shown_rows(assignments: list, queue: str) -> list[dict]:
    """What the list shows of each assignment, worked out once: the page draws every row
    twice (a table, and cards on a phone), and per row the template's tags, filters and
    includes cost more than reading it. Plain dicts: the template finds a key at its first
    try, where an attribute of a model instance costs it a caught exception."""
    # Asked for the page's rows only (as an annotation it ran once for every matching row),
    # and only for those still owed: no other row shows the 催办 button.
    owed = [a.pk for a in assignments if a.is_open]
    urged = set(
        UrgeRecord.objects.filter(assignment__in=owed, urged_on=local_today()).values_list(
            "assignment_id", flat=True
        )
        if owed
        else ()
    )
    carried = f"?queue={quote(queue)}" if queue else ""
    badge = get_template("tasks/_status_badge.html")
    badges: dict[tuple, str] = {}  # the badge depends on these three values only
    rows = []
    for a in assignments:
        key = (a.status, a.is_overdue_db, a.is_late_db)
        if key not in badges:
            badges[key] = badge.render({"a": a})
        rows.append(
            {
                "pk": str(a.pk),
                "status": a.status,
                "branch": str(a.branch),
                "href": reverse("tasks:assignment_detail", args=[a.pk]) + carried,
                "task": str(a.item),
                # Fixed numeric formats (what the template's date filter printed), without
                # its per-call look-ups of the language's formats.
                "due": a.effective_due.isoformat() if a.effective_due else "",
                "submitted": (
                    localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else "—"
                ),
                "badge": badges[key],
                "is_open": a.is_open,
                "urged_today": a.pk in urged,
            }
        )
    return rows


def _list_url(queue: str) -> str:
    url = reverse("tasks:review_list")
    return f"{url}?{queue}" if queue else url


def _next_in_queue(request, done_pk: int):
    """After a step from the queue: the next submission of the same filters, the longest
    waiting first, or the list when none is left."""
    queue = request.POST.get("queue", "")
    _filters, rows = _queue(request.user, QueryDict(queue))
    following = (
        rows.filter(status=AssignmentStatus.SUBMITTED)
        .exclude(pk=done_pk)
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is None:
        return redirect(_list_url(queue))
    url = reverse("tasks:assignment_detail", args=[following])
    return redirect(f"{url}?{urlencode({'queue': queue})}" if queue else url)


@login_required
@require_POST
def review_bulk_approve(request):
    require_office(request.user)
    wanted: list[int] = []
    unreadable = 0
    for raw in request.POST.getlist("ids")[:BULK_MAX]:
        try:
            wanted.append(int(raw))
        except ValueError:
            unreadable += 1
    unreadable += max(0, len(request.POST.getlist("ids")) - BULK_MAX)
    # Only assignments in scope are named; anything else is counted without a word about it.
    named = {
        a.pk: a
        for a in reviewable_assignments(request.user)
        .filter(pk__in=wanted)
        .select_related("branch", "item")
    }
    approved, unnamed, refusals = 0, unreadable, []
    for pk in dict.fromkeys(wanted):
        if pk not in named:
            unnamed += 1
            continue
        try:
            with transaction.atomic():  # each one stands or falls alone
                services.approve(pk, request.user)
        except AccessRefused:
            unnamed += 1
        except WorkflowError as exc:
            a = named[pk]
            refusals.append(
                _("%(branch)s, %(task)s: %(reason)s")
                % {"branch": a.branch, "task": a.item.title, "reason": exc.message}
            )
        else:
            approved += 1
    if approved:
        messages.success(
            request,
            ngettext("%(count)d assignment approved.", "%(count)d assignments approved.", approved)
            % {"count": approved},
        )
    for text in refusals:
        messages.error(request, _("Not approved: %(refusal)s") % {"refusal": text})
    if unnamed:
        messages.error(
            request,
            ngettext(
                "%(count)d selected assignment could not be approved.",
                "%(count)d selected assignments could not be approved.",
                unnamed,
            )
            % {"count": unnamed},
        )
    if not (approved or refusals or unnamed):
        messages.warning(request, _("Select the submissions to approve."))
    return redirect(_list_url(request.POST.get("queue", "")))


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
    action = request.POST.get("action", "")
    try:
        if action in ("approve", "approve_next"):
            services.approve(assignment.pk, request.user, comment=comment)
            messages.success(request, _("Approved."))
        else:
            services.return_for_changes(assignment.pk, request.user, comment=comment)
            messages.success(request, _("Returned to the branch with your comment."))
    except AccessRefused as exc:
        raise Http404 from exc
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        if action.endswith("_next"):
            return _next_in_queue(request, assignment.pk)
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
