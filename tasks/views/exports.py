"""Workbook downloads: at once for a small committee, else a background job with progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal.access import get_in_scope_or_404
from portal.audit import log_action
from portal.audit_actions import ACTION_EXPORT_DOWNLOADED
from portal.xlsx import XLSX_CONTENT_TYPE
from portal.xlsx_http import content_disposition, xlsx_response
from tasks.access import overview_notices
from tasks.models import Export
from tasks.workbook import (
    INLINE_MAX_BRANCHES,
    branch_count,
    notice_exporters,
    request_export,
    workbook_filename,
)


def _exports_for(user):
    return Export.objects.filter(notice__in=overview_notices(user)).select_related(
        "notice__committee"
    )


@login_required
@require_POST
def export_request(request, pk: int):
    notice = get_in_scope_or_404(overview_notices(request.user).select_related("committee"), pk=pk)
    branches = branch_count(notice)
    if branches <= INLINE_MAX_BRANCHES:
        return xlsx_response(
            notice_exporters(notice),
            workbook_filename(notice),
            audit_object=notice,
            audit_data={"mode": "inline", "branches": branches},
        )
    export, _created = request_export(notice, request.user)
    return redirect("tasks:export_detail", export.pk)


@login_required
def export_detail(request, pk: int):
    """The progress page; htmx polls the same URL every second for the bar alone."""
    export = get_in_scope_or_404(_exports_for(request.user), pk=pk)
    template = (
        "tasks/exports/_progress.html" if request.htmx else "tasks/exports/export_detail.html"
    )
    return render(request, template, {"export": export})


def serve_finished_export(
    request,
    export: Export,
    *,
    progress_url: str,
    expired_template: str,
    content_type: str,
    fallback_name: str,
    audit_object,
    audit_data: dict,
):
    """The file of a background export: still building → its progress page; expired or gone →
    410 with ``expired_template``; else the file, with its download in the audit log."""
    if export.is_running:
        return redirect(progress_url, export.pk)
    if export.is_expired or not export.file:
        return render(request, expired_template, {"export": export}, status=410)
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    log_action(
        audit_object,
        ACTION_EXPORT_DOWNLOADED,
        user=request.user,
        data={"mode": "job", "export": export.pk, **audit_data},
    )
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(export.filename or fallback_name)
    return response


@login_required
def export_download(request, pk: int):
    export = get_in_scope_or_404(_exports_for(request.user), pk=pk)
    return serve_finished_export(
        request,
        export,
        progress_url="tasks:export_detail",
        expired_template="tasks/exports/expired.html",
        content_type=XLSX_CONTENT_TYPE,
        fallback_name="export.xlsx",
        audit_object=export.notice,
        audit_data={},
    )
