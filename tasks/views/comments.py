"""The conversation on an assignment: a comment posted by the branch's editors or the office."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tasks import services
from tasks.access import can_comment_on_assignment, get_assignment_for_user
from tasks.errors import AccessRefused, WorkflowError
from tasks.forms import CommentForm
from tasks.views.branch import render_detail


@login_required
@require_POST
def assignment_comment(request, pk: int):
    # Outside the scope, or a reader who is neither side of the conversation: 404.
    assignment = get_assignment_for_user(request.user, pk)
    if not can_comment_on_assignment(request.user, assignment):
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below; nothing was saved."))
        return render_detail(request, assignment, comment_form=form)
    try:
        services.post_comment(assignment.pk, request.user, form.cleaned_data["body"])
    except AccessRefused as exc:
        raise Http404 from exc
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Comment posted; the other side will be told."))
    return redirect(reverse("tasks:assignment_detail", args=[assignment.pk]) + "#comments")
