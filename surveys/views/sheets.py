"""Generic pages of every attachment form: Excel download, blank template, print, carry forward.

They work for any deliverable kind that offers ``exporter(assignment)``; other kinds are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import Refused
from portal.xlsx import XLSX_CONTENT_TYPE
from portal.xlsx_http import content_disposition, xlsx_response
from tasks import services
from tasks.access import can_edit_assignment, get_assignment_for_user
from tasks.errors import AccessRefused
from tasks.kinds import get_kind
from tasks.models import OPEN_STATUSES


def sheet_for_user(user, pk, *, edit: bool = False):
    """The assignment and its kind, when the kind is an Excel-capable form; else 404."""
    assignment = get_assignment_for_user(user, pk)
    kind = get_kind(assignment.item.kind)
    if not hasattr(kind, "exporter"):
        raise Http404
    if edit and not can_edit_assignment(user, assignment):
        raise Http404
    return assignment, kind


def detail_url(assignment):
    return reverse("tasks:assignment_detail", args=[assignment.pk])


@login_required
def sheet_export(request, pk: int):
    assignment, kind = sheet_for_user(request.user, pk)
    exporter = kind.exporter(assignment)
    dated = f"_{exporter.filled_on.isoformat()}" if exporter.filled_on else ""
    filename = f"{exporter.title}_{assignment.branch.name}{dated}.xlsx"
    return xlsx_response(exporter, filename)


@login_required
def sheet_template(request, pk: int):
    assignment, kind = sheet_for_user(request.user, pk, edit=True)
    name, data = kind.blank_template(assignment.item, unit_name=assignment.branch.name)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(name)
    return response


@login_required
def sheet_print(request, pk: int):
    assignment, kind = sheet_for_user(request.user, pk)
    return render(request, "surveys/sheet_print.html", {"assignment": assignment, "kind": kind})


@require_POST
@login_required
def sheet_carry_forward(request, pk: int):
    assignment, kind = sheet_for_user(request.user, pk, edit=True)
    if not getattr(kind, "can_carry_forward", False):
        raise Http404
    if assignment.status not in OPEN_STATUSES:
        messages.warning(request, _("This task can no longer be changed."))
        return redirect(detail_url(assignment))
    if kind.rows_of(assignment):
        messages.warning(
            request, _("This form already has rows; last year’s can only start an empty form.")
        )
        return redirect(detail_url(assignment))
    copied: list[int | None] = []

    def apply(locked):
        copied.append(kind.carry_forward(locked))
        return []

    try:
        services.save_draft(assignment.pk, request.user, version=None, apply=apply)
    except AccessRefused as exc:
        raise Http404 from exc
    except Refused as exc:
        messages.warning(request, exc.message)
        return redirect(detail_url(assignment))
    if copied and copied[0] is None:
        messages.info(request, _("There is no form of an earlier year to start from."))
    else:
        messages.success(
            request,
            _("Started from last year’s form (%(count)s row(s)); check and save it.")
            % {"count": copied[0]},
        )
    return redirect(detail_url(assignment))
