"""``meeting``: satisfied by linking the branch's own meeting records of the required type/theme."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import MeetingRecord, MeetingType
from tasks.kinds import DeliverableKind, register


def matching_meetings(assignment):
    item = assignment.item
    return (
        MeetingRecord.objects.for_branch(assignment.branch_id)
        .of_type(item.required_meeting_type)
        .with_theme(item.required_theme)
        .order_by("-date", "-id")
    )


class MeetingLinkForm(forms.Form):
    meetings = forms.ModelMultipleChoiceField(
        label=_("Meeting records"),
        queryset=MeetingRecord.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only this branch's records of the required type and theme are listed."),
    )
    report_text = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meetings"].queryset = matching_meetings(assignment)


class MeetingKind(DeliverableKind):
    key = "meeting"
    label = _("Meeting record(s)")
    view_template = "tasks/kinds/meeting_view.html"
    uses_meeting_requirements = True

    def form(self, assignment, *, data=None, files=None):
        initial = {"report_text": assignment.report_text}
        if assignment.pk:
            initial["meetings"] = list(assignment.meetings.values_list("pk", flat=True))
        return MeetingLinkForm(data=data, files=files, assignment=assignment, initial=initial)

    def apply(self, form, assignment, user) -> list[str]:
        assignment.report_text = form.cleaned_data["report_text"]
        assignment.meetings.set(form.cleaned_data["meetings"])
        return ["report_text"]

    def submit_errors(self, assignment) -> list[str]:
        errors = []
        if not matching_meetings(assignment).filter(assignments=assignment).exists():
            errors.append(
                str(_("Link at least one meeting record of the required type before submitting."))
            )
        if assignment.item.report_required and not assignment.report_text.strip():
            errors.append(str(_("Write the report this task asks for before submitting.")))
        return errors

    def summary(self, assignment) -> str:
        count = assignment.meetings.count()
        return str(_("%(count)s meeting record(s)") % {"count": count})

    def describe_requirement(self, item) -> str:
        parts = []
        if item.required_meeting_type:
            parts.append(str(MeetingType(item.required_meeting_type).label))
        if item.required_theme:
            parts.append(str(_("theme containing “%(word)s”") % {"word": item.required_theme}))
        return " · ".join(parts)


register(MeetingKind())
