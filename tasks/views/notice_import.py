"""Composing a notice from its Word document: upload, then a preview to correct, then save.

Nothing is saved before the office saves the draft: the upload waits in the private pending
area under a token held by the uploader's session (``tasks.pending_docx``) and is read again
for every request of the preview.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from portal.errors import Refused
from tasks import drafting, pending_docx
from tasks.access import get_reference_attachment_for_office, office_notices
from tasks.import_forms import NoticeUploadForm, Proposal, ReferenceFileForm
from tasks.models import DeadlineRule, TaskItem, local_today
from tasks.notice_docx import DocxRefused
from tasks.notice_docx.reading import read_paragraphs
from tasks.notice_docx.structure import build_draft

#: The name of the preview's second submit button: drop the upload, save nothing.
DISCARD = "discard"


@login_required
def notice_import(request):
    """The upload form: a .docx is read at once; a file the reader refuses is named here."""
    office_notices(request.user)  # 404 for everyone but the office
    posted = request.method == "POST"
    form = NoticeUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["document"]
        data = upload.read()
        try:
            build_draft(read_paragraphs(data, upload.name))
        except DocxRefused as refused:
            form.add_error("document", str(refused))
        else:
            pending_docx.sweep()  # the abandoned uploads of everyone go now and then
            pending = pending_docx.stash(request.session, data, upload.name)
            return redirect("tasks:notice_import_preview", pending.token)
    return render(request, "tasks/office/notice_import.html", {"form": form})


def _gone(request):
    messages.warning(
        request,
        _(
            "The uploaded document is no longer waiting (it is kept for %(minutes)s minutes, "
            "until it is saved or discarded). Upload it again."
        )
        % {"minutes": int(pending_docx.max_age().total_seconds() // 60)},
    )
    return redirect("tasks:notice_import")


def _warn_past_deadlines(request, notice) -> None:
    """Allowed (an old notice entered late), but the office should know before publishing."""
    past = TaskItem.objects.filter(
        area__notice=notice, deadline_rule=DeadlineRule.FIXED, deadline__lt=local_today()
    ).count()
    if past:
        messages.warning(
            request,
            ngettext(
                "%(count)s deadline is already in the past.",
                "%(count)s deadlines are already in the past.",
                past,
            )
            % {"count": past},
        )


@login_required
def notice_import_preview(request, token: str):
    """The document beside the draft read from it; the office corrects it and saves."""
    office_notices(request.user)
    pending = pending_docx.find(request.session, token)
    if pending is None:
        return _gone(request)
    if request.method == "POST" and DISCARD in request.POST:
        pending_docx.discard(request.session, token)
        messages.info(request, _("The uploaded document was discarded; nothing was saved."))
        return redirect("tasks:notice_list")
    data = pending.read()
    try:
        paragraphs = read_paragraphs(data, "notice.docx")  # accepted at upload, by its content
        draft = build_draft(paragraphs)
    except DocxRefused as refused:  # a changed setting since the upload
        pending_docx.discard(request.session, token)
        messages.warning(request, str(refused))
        return redirect("tasks:notice_import")
    posted = request.method == "POST"
    proposal = Proposal(draft, paragraphs, request.user, request.POST if posted else None)
    if posted and proposal.is_valid():
        try:
            notice = drafting.create_notice_from_document(
                proposal.plan(), request.user, source=data, source_name=pending.name
            )
        except Refused as refused:
            messages.warning(request, refused.message)
        else:
            pending_docx.discard(request.session, token)
            _warn_past_deadlines(request, notice)
            messages.success(
                request,
                _(
                    "Draft notice saved from the document. Check it, add what is missing "
                    "(reference documents to upload), then publish."
                ),
            )
            return redirect("tasks:notice_detail", notice.pk)
    elif posted:
        messages.warning(request, _("Some fields need correcting; nothing was saved yet."))
    context = {
        "proposal": proposal,
        "pending": pending,
        "draft": draft,
        "fixed": DeadlineRule.FIXED,
    }
    return render(request, "tasks/office/notice_import_preview.html", context)


@login_required
@require_POST
def attachment_upload(request, pk: int):
    """The file of a reference attachment the notice names (uploaded after the draft is saved)."""
    attachment = get_reference_attachment_for_office(request.user, pk)
    form = ReferenceFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            drafting.attach_reference_file(attachment.pk, request.user, form.cleaned_data["file"])
        except Refused as refused:
            messages.warning(request, refused.message)
        else:
            messages.success(
                request,
                _("The file of %(label)s was uploaded.") % {"label": attachment.label},
            )
    else:
        for error in form.errors.get("file", []):
            messages.warning(request, error)
    detail = reverse("tasks:notice_detail", args=[attachment.notice_id])
    return redirect(f"{detail}#attachments")
