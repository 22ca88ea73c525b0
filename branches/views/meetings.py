"""Meeting records of a branch: list, calendar, record with attendance, resolutions, follow-ups.

Editors of the branch (secretary, deputy, organisation member, the office) write; committee
members and regional viewers read; anyone else gets a 404.
"""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.access import (
    can_edit_organisation,
    editable_branch,
    editable_organisations,
    readable_branch,
    readable_branches,
)
from branches.exporters import MeetingExporter
from branches.models import (
    AbsenceReason,
    AttendanceStatus,
    MeetingFile,
    MeetingRecord,
    MeetingType,
    Resolution,
)
from branches.services import Refused
from branches.services.meetings import (
    AttendanceInput,
    add_follow_up,
    add_resolution,
    attendance_people,
    save_meeting,
)
from portal.access import get_in_scope_or_404
from portal.uploads import CheckedFileField, display_name
from portal.validation import SaneDateFormField, model_field
from portal.widgets import DATE_INPUT
from portal.xlsx_http import xlsx_response

MEETINGS_PER_PAGE = 25


# --- shared by the branch-life pages ---------------------------------------------------------
def current_year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


# --- forms ------------------------------------------------------------------------------------
class MeetingForm(forms.ModelForm):
    also_counts_as = forms.MultipleChoiceField(
        label=gettext_lazy("Also counts as"),
        choices=MeetingType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("E.g. a themed Party day held together with a group meeting."),
    )
    upload = CheckedFileField(label=gettext_lazy("Add a photo or file"), required=False)

    class Meta:
        model = MeetingRecord
        fields = [
            "meeting_type",
            "also_counts_as",
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
            "observers",
            "topics",
            "summary",
        ]
        widgets = {
            "date": DATE_INPUT,
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "absentees": forms.Textarea(attrs={"rows": 2}),
            "observers": forms.Textarea(attrs={"rows": 1}),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"due_count": gettext_lazy("Filled from the attendance list when it is used.")}

    def clean(self):
        data = super().clean()
        due, present = data.get("due_count"), data.get("present_count")
        if due is not None and present is not None and present > due:
            self.add_error("present_count", _("More attended than were due to attend."))
        return data


class ResolutionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Motion"), max_length=300)
    # The vote counts are small integers in the database: the model's range applies.
    votes_for = model_field(Resolution, "votes_for", label=gettext_lazy("For"))
    votes_against = model_field(Resolution, "votes_against", label=gettext_lazy("Against"))
    votes_abstain = model_field(Resolution, "votes_abstain", label=gettext_lazy("Abstain"))
    written_for = forms.IntegerField(
        label=gettext_lazy("For in writing"),
        min_value=0,
        max_value=1000,
        required=False,
        help_text=gettext_lazy("Absent voting members' written opinions"),
    )
    written_against = forms.IntegerField(
        label=gettext_lazy("Against in writing"), min_value=0, max_value=1000, required=False
    )


class FollowUpForm(forms.Form):
    task = forms.CharField(label=gettext_lazy("Follow-up"), max_length=300)
    owner = forms.CharField(label=gettext_lazy("Owner"), max_length=60)
    deadline = SaneDateFormField(label=gettext_lazy("Deadline"), widget=DATE_INPUT)


def _attendance_from_post(post, people) -> list[AttendanceInput] | None:
    """Rows ``att-<person id>`` / ``reason-<id>`` / ``note-<id>`` of the attendance table."""
    if not any(key.startswith("att-") for key in post):
        return None
    rows = []
    for person in people:
        status = post.get(f"att-{person.pk}", AttendanceStatus.PRESENT)
        rows.append(
            AttendanceInput(
                person.pk,
                status,
                post.get(f"reason-{person.pk}", ""),
                post.get(f"note-{person.pk}", "").strip()[:200],
            )
        )
    return rows


def _attendance_rows(meeting, people):
    existing = {a.person_id: a for a in meeting.attendance.all()} if meeting and meeting.pk else {}
    return [
        {
            "person": person,
            "status": existing[person.pk].status
            if person.pk in existing
            else AttendanceStatus.PRESENT,
            "reason": existing[person.pk].absence_reason if person.pk in existing else "",
            "note": existing[person.pk].note if person.pk in existing else "",
        }
        for person in people
    ]


# --- views ------------------------------------------------------------------------------------
@login_required
def meeting_list(request, pk: int):
    branch = readable_branch(request.user, pk)
    meetings = MeetingRecord.objects.for_branch(branch).order_by("-date", "-id")
    meeting_type = request.GET.get("type", "")
    if meeting_type in MeetingType.values:
        meetings = meetings.of_type(meeting_type)
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/meetings/meeting_list.html",
        {
            "branch": branch,
            "page": page,
            "meeting_type": meeting_type,
            "types": MeetingType.choices,
            "can_edit": can_edit_organisation(request.user, branch),
        },
    )


@login_required
def meeting_calendar(request, pk: int):
    branch = readable_branch(request.user, pk)
    year = current_year(request)
    by_month = defaultdict(list)
    for meeting in MeetingRecord.objects.for_branch(branch).in_year(year).order_by("date", "id"):
        by_month[meeting.date.month].append(meeting)
    months = [(m, by_month.get(m, [])) for m in range(1, 13)]
    return render(
        request,
        "branches/meetings/meeting_calendar.html",
        {"branch": branch, "year": year, "months": months},
    )


def _edit(request, branch, meeting: MeetingRecord | None):
    people = attendance_people(branch)
    form = MeetingForm(request.POST or None, request.FILES or None, instance=meeting)
    rows = _attendance_rows(meeting, people)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.branch = branch
        record.also_counts_as = form.cleaned_data["also_counts_as"]
        upload = form.cleaned_data.get("upload")
        try:
            saved = save_meeting(
                record,
                user=request.user,
                attendance=_attendance_from_post(request.POST, people),
                upload=upload,
                upload_name=display_name(upload.name) if upload else "",
            )
        except Refused as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Meeting record saved."))
            return redirect("branches:branch_meeting_detail", saved.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    return render(
        request,
        "branches/meetings/meeting_form.html",
        {
            "form": form,
            "branch": branch,
            "meeting": meeting,
            "rows": rows,
            "statuses": AttendanceStatus.choices,
            "reasons": AbsenceReason.choices,
            "files": meeting.files.all() if meeting else (),
        },
    )


@login_required
def meeting_create(request, pk: int):
    return _edit(request, editable_branch(request.user, pk), None)


def _meeting(user, pk, *, edit: bool) -> MeetingRecord:
    branches = editable_organisations(user) if edit else readable_branches(user)
    meetings = MeetingRecord.objects.filter(branch__in=branches).select_related("branch")
    return get_in_scope_or_404(meetings, pk=pk)


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting(request.user, pk, edit=True)
    return _edit(request, meeting.branch, meeting)


@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting(request.user, pk, edit=False)
    can_edit = can_edit_organisation(request.user, meeting.branch)
    return render(
        request,
        "branches/meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "branch": meeting.branch,
            "attendance": meeting.attendance.select_related("person"),
            "resolutions": meeting.resolutions.all(),
            "follow_ups": meeting.follow_ups.all(),
            "files": meeting.files.all(),
            "can_edit": can_edit,
            "resolution_form": ResolutionForm() if can_edit else None,
            "follow_up_form": FollowUpForm() if can_edit else None,
        },
    )


def _add_to_meeting(request, pk: int, form_class, add, done: str):
    """A resolution or follow-up posted from the meeting page: saved whole, or not at all."""
    meeting = _meeting(request.user, pk, edit=True)
    form = form_class(request.POST)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label if name in form.fields else ''} {' '.join(errors)}"
            for name, errors in form.errors.items()
        ]
        messages.error(
            request,
            _("Nothing was saved: %(problems)s")
            % {"problems": "；".join(p.strip() for p in problems)},
        )
        return redirect("branches:branch_meeting_detail", meeting.pk)
    try:
        add(meeting, user=request.user, **form.cleaned_data)
    except Refused as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("branches:branch_meeting_detail", meeting.pk)


@require_POST
@login_required
def meeting_resolution_add(request, pk: int):
    return _add_to_meeting(request, pk, ResolutionForm, add_resolution, _("Resolution recorded."))


@require_POST
@login_required
def meeting_follow_up_add(request, pk: int):
    return _add_to_meeting(request, pk, FollowUpForm, add_follow_up, _("Follow-up recorded."))


@login_required
def meeting_export(request, pk: int):
    branch = readable_branch(request.user, pk)
    year = current_year(request)
    meetings = MeetingRecord.objects.for_branch(branch).in_year(year).order_by("date", "id")
    return xlsx_response(MeetingExporter(meetings, unit_name=branch.name))


@login_required
def meeting_file(request, pk: int):
    stored = get_in_scope_or_404(
        MeetingFile.objects.filter(meeting__branch__in=readable_branches(request.user)), pk=pk
    )
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=stored.original_name)
