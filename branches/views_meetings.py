"""Meeting records of a branch: list, create, edit, and their files (for the branch's editors)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.access import editable_organisations, get_organisation_for_user
from branches.models import MeetingFile, MeetingRecord
from portal.access import get_in_scope_or_404
from portal.uploads import CheckedFileField, display_name

MEETINGS_PER_PAGE = 25


class MeetingForm(forms.ModelForm):
    upload = CheckedFileField(label=gettext_lazy("Add a photo or file"), required=False)

    class Meta:
        model = MeetingRecord
        fields = [
            "meeting_type",
            "theme",
            "date",
            "start_time",
            "end_time",
            "place",
            "chair",
            "recorder",
            "due_count",
            "present_count",
            "absentees",
            "topics",
            "summary",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "absentees": forms.Textarea(attrs={"rows": 2}),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        due, present = data.get("due_count"), data.get("present_count")
        if due is not None and present is not None and present > due:
            self.add_error("present_count", _("More attended than were due to attend."))
        return data


def _editable_branch(user, pk):
    branch = get_organisation_for_user(user, pk, edit=True)
    if not branch.is_branch:
        raise Http404
    return branch


def _editable_meeting(user, pk) -> MeetingRecord:
    meetings = MeetingRecord.objects.filter(branch__in=editable_organisations(user))
    return get_in_scope_or_404(meetings.select_related("branch"), pk=pk)


@login_required
def meeting_list(request, pk: int):
    branch = _editable_branch(request.user, pk)
    meetings = MeetingRecord.objects.for_branch(branch).order_by("-date", "-id")
    meeting_type = request.GET.get("type", "")
    if meeting_type:
        meetings = meetings.of_type(meeting_type)
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/meetings/meeting_list.html",
        {"branch": branch, "page": page, "meeting_type": meeting_type},
    )


def _save(request, form: MeetingForm, branch) -> MeetingRecord:
    with transaction.atomic():
        meeting = form.save(commit=False)
        meeting.branch = branch
        if meeting.created_by_id is None:
            meeting.created_by = request.user
        meeting.save()
        upload = form.cleaned_data.get("upload")
        if upload:
            MeetingFile.objects.create(
                meeting=meeting,
                file=upload,
                original_name=display_name(upload.name),
                size=upload.size,
            )
    return meeting


@login_required
def meeting_create(request, pk: int):
    branch = _editable_branch(request.user, pk)
    form = MeetingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _save(request, form, branch)
        messages.success(request, _("Meeting record saved."))
        return redirect("branch_meetings", branch.pk)
    return render(request, "branches/meetings/meeting_form.html", {"form": form, "branch": branch})


@login_required
def meeting_edit(request, pk: int):
    meeting = _editable_meeting(request.user, pk)
    form = MeetingForm(request.POST or None, request.FILES or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        _save(request, form, meeting.branch)
        messages.success(request, _("Meeting record saved."))
        return redirect("branch_meetings", meeting.branch_id)
    return render(
        request,
        "branches/meetings/meeting_form.html",
        {"form": form, "branch": meeting.branch, "meeting": meeting, "files": meeting.files.all()},
    )


@login_required
def meeting_file(request, pk: int):
    stored = get_in_scope_or_404(
        MeetingFile.objects.filter(meeting__branch__in=editable_organisations(request.user)), pk=pk
    )
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=stored.original_name)
