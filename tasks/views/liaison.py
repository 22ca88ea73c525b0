"""The liaison committee member's step: acknowledging a branch's 三会一课 self-check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tasks import services
from tasks.access import get_assignment_to_acknowledge
from tasks.errors import AccessRefused, WorkflowError

#: The comment is short: the self-check's figures are the record, this is a word back.
MAX_COMMENT = 4000


@login_required
@require_POST
def acknowledge_assignment(request, pk: int):
    assignment = get_assignment_to_acknowledge(request.user, pk)
    comment = request.POST.get("comment", "")
    if len(comment) > MAX_COMMENT:
        messages.error(
            request, _("The comment may be at most %(limit)d characters.") % {"limit": MAX_COMMENT}
        )
        return redirect("tasks:assignment_detail", assignment.pk)
    try:
        services.acknowledge(assignment.pk, request.user, comment=comment)
    except AccessRefused as exc:
        raise Http404 from exc
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Self-check acknowledged."))
    return redirect("tasks:assignment_detail", assignment.pk)
