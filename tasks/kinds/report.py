"""``report``: free text plus files (the fallback for every task without its own form)."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.uploads import CheckedFileField, display_name
from tasks.kinds import DeliverableKind, register
from tasks.models import AssignmentFile


class ReportForm(forms.Form):
    report_text = forms.CharField(
        label=_("Report"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    upload = CheckedFileField(label=_("Add a file"), required=False)
    remove_files = forms.ModelMultipleChoiceField(
        label=_("Remove files"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_files"].queryset = assignment.files.all()
        if not assignment.files.exists():
            del self.fields["remove_files"]


class ReportKind(DeliverableKind):
    key = "report"
    label = _("Report (text and files)")
    view_template = "tasks/kinds/report_view.html"

    def form(self, assignment, *, data=None, files=None):
        return ReportForm(
            data=data,
            files=files,
            assignment=assignment,
            initial={"report_text": assignment.report_text},
        )

    def apply(self, form, assignment, user) -> list[str]:
        assignment.report_text = form.cleaned_data["report_text"]
        for old in form.cleaned_data.get("remove_files") or ():
            stored = old.file
            old.delete()
            # Remove the stored file only once the row is gone for good.
            transaction.on_commit(lambda stored=stored: stored.delete(save=False))
        upload = form.cleaned_data.get("upload")
        if upload:
            AssignmentFile.objects.create(
                assignment=assignment,
                file=upload,
                original_name=display_name(upload.name),
                size=upload.size,
                uploaded_by=user,
            )
        return ["report_text"]

    def submit_errors(self, assignment) -> list[str]:
        if assignment.report_text.strip() or assignment.files.exists():
            return []
        return [str(_("Write the report or attach at least one file before submitting."))]

    def summary(self, assignment) -> str:
        text = " ".join(assignment.report_text.split())
        return text[:60] + ("…" if len(text) > 60 else "")


register(ReportKind())
