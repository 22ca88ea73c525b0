"""Downloads of uploaded files, each after an access check (a file outside the scope is a 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse

from portal.xlsx import XLSX_CONTENT_TYPE
from portal.xlsx_http import content_disposition
from tasks.access import (
    get_assignment_file_for_user,
    get_form_attachment_for_user,
    get_item_file_for_user,
    get_notice_attachment_for_user,
    get_notice_source_for_office,
)
from tasks.kinds import get_kind


def _serve(stored) -> FileResponse:
    return _serve_file(stored.file, stored.original_name)


def _serve_file(field, name: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    # Always as an attachment: the browser must not render uploaded content in our origin.
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
def assignment_file(request, pk: int):
    return _serve(get_assignment_file_for_user(request.user, pk))


@login_required
def item_file(request, pk: int):
    return _serve(get_item_file_for_user(request.user, pk))


@login_required
def notice_attachment(request, pk: int):
    return _serve(get_notice_attachment_for_user(request.user, pk))


@login_required
def notice_attachment_template(request, pk: int):
    """The blank form of a form attachment (附件1–4), generated from the portal's own layout."""
    attachment = get_form_attachment_for_user(request.user, pk)
    blank = get_kind(attachment.form_kind).blank_template(attachment.item)
    if blank is None:
        raise Http404
    name, data = blank
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(name)
    return response


@login_required
def notice_source(request, pk: int):
    """The Word document a notice was read from, as it was uploaded."""
    notice = get_notice_source_for_office(request.user, pk)
    return _serve_file(notice.source_file, notice.source_name or "notice.docx")
