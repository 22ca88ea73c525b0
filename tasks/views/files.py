"""Downloads of uploaded files, each after an access check (a file outside the scope is a 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from tasks.access import (
    get_assignment_file_for_user,
    get_item_file_for_user,
    get_notice_attachment_for_user,
    get_notice_source_for_office,
)


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
def notice_source(request, pk: int):
    """The Word document a notice was read from, as it was uploaded."""
    notice = get_notice_source_for_office(request.user, pk)
    return _serve_file(notice.source_file, notice.source_name or "notice.docx")
