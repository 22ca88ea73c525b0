"""Member development: the branch's pipeline, the office's list of steps due, one case."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
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
    scope_for,
)
from branches.exporters import PipelineExporter
from branches.models import CaseStep, DevelopmentCase, Gender, Person, Stage
from branches.services import Refused, add_months
from branches.services.development import (
    StepInput,
    development_due,
    extend_probation,
    in_probation,
    next_step,
    open_case,
    pipeline,
    record_step,
    stop_case,
)
from branches.services.development_checks import case_warnings
from portal.access import get_in_scope_or_404
from portal.uploads import CheckedFileField
from portal.validation import SaneDateFormField, model_field
from portal.widgets import DATE_INPUT
from portal.xlsx_http import xlsx_response

ROWS_PER_PAGE = 50


class StepForm(forms.Form):
    date = SaneDateFormField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    end_date = SaneDateFormField(
        label=gettext_lazy("Until"),
        widget=DATE_INPUT,
        required=False,
        help_text=gettext_lazy("Last day of a public notice or training."),
    )
    actor = forms.CharField(label=gettext_lazy("Done by"), max_length=120, required=False)
    note = forms.CharField(
        label=gettext_lazy("Note or conclusion"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    people = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Introducers or contacts"),
        queryset=Person.objects.none(),
        required=False,
    )
    # Small integers in the database: the model's range applies.
    training_days = model_field(CaseStep, "training_days", label=gettext_lazy("Training days"))
    training_hours = model_field(CaseStep, "training_hours", label=gettext_lazy("Training hours"))
    document = CheckedFileField(label=gettext_lazy("Document"), required=False)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.filter(branch=branch).active().members()

    def values(self) -> StepInput:
        data = self.cleaned_data
        return StepInput(
            date=data["date"],
            end_date=data.get("end_date"),
            actor=data.get("actor", ""),
            note=data.get("note", ""),
            people=list(data.get("people") or []),
            training_days=data.get("training_days"),
            training_hours=data.get("training_hours"),
            has_document=bool(data.get("document")),
        )


class NewCaseForm(StepForm):
    name = forms.CharField(label=gettext_lazy("Applicant"), max_length=60)
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    birth_date = SaneDateFormField(label=gettext_lazy("Date of birth"), widget=DATE_INPUT)

    field_order = ["name", "gender", "birth_date", "date", "actor", "note", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("end_date", "people", "training_days", "training_hours"):
            del self.fields[name]
        self.fields["date"].label = _("Application date")


class ExtendProbationForm(forms.Form):
    months = model_field(
        DevelopmentCase,
        "probation_extension_months",
        required=True,
        label=gettext_lazy("Extend by (months)"),
        help_text=gettext_lazy("Once only, by 6 to 12 months."),
        widget=forms.NumberInput(attrs={"min": 6, "max": 12}),
    )
    decided_on = SaneDateFormField(label=gettext_lazy("Decided on"), widget=DATE_INPUT)


class StopCaseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for stopping"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    stopped_on = SaneDateFormField(label=gettext_lazy("Stopped on"), widget=DATE_INPUT)


@login_required
def branch_pipeline(request, pk: int):
    branch = readable_branch(request.user, pk)
    rows = pipeline(DevelopmentCase.objects.filter(branch=branch))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(PipelineExporter(rows, unit_name=branch.name))
    stages = [
        (value, label, [r for r in rows if r.case.stage == value]) for value, label in Stage.choices
    ]
    done = (
        DevelopmentCase.objects.filter(branch=branch)
        .exclude(status="open")
        .select_related("person", "last_step")
    )
    return render(
        request,
        "branches/development/pipeline.html",
        {
            "branch": branch,
            "stages": stages,
            "done": done,
            "today": timezone.localdate(),
            "can_edit": can_edit_organisation(request.user, branch),
        },
    )


@login_required
def office_pipeline(request):
    scope = scope_for(request.user)
    if not scope.reads_across_branches:
        raise Http404
    today = timezone.localdate()
    cases = DevelopmentCase.objects.filter(branch__in=readable_branches(request.user))
    rows = development_due(today, cases)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(PipelineExporter(rows))
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/development/office_pipeline.html",
        {
            "page": page,
            "today": today,
            "month_end": add_months(today.replace(day=1), 1) - timedelta(days=1),
        },
    )


@login_required
def case_create(request, pk: int):
    branch = editable_branch(request.user, pk)
    form = NewCaseForm(request.POST or None, request.FILES or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = open_case(
                branch,
                values=form.values(),
                user=request.user,
                name=data["name"],
                birth_date=data["birth_date"],
                gender=data.get("gender", ""),
                document=data.get("document"),
            )
        except Refused as exc:
            messages.error(
                request, _("Not saved: %(reasons)s") % {"reasons": " ".join(exc.messages)}
            )
        else:
            messages.success(request, _("Development case opened."))
            return redirect("branches:branch_development_case", case.pk)
    return render(request, "branches/development/case_form.html", {"form": form, "branch": branch})


def _case(user, pk, *, edit: bool) -> DevelopmentCase:
    branches = editable_organisations(user).branches() if edit else readable_branches(user)
    return get_in_scope_or_404(
        DevelopmentCase.objects.filter(branch__in=branches).select_related(
            "person", "branch", "last_step"
        ),
        pk=pk,
    )


@login_required
def case_detail(request, pk: int):
    case = _case(request.user, pk, edit=False)
    can_edit = can_edit_organisation(request.user, case.branch) and case.status == "open"
    step = next_step(case)
    form = None
    if can_edit and step is not None:
        form = StepForm(request.POST or None, request.FILES or None, branch=case.branch)
        if request.method == "POST" and form.is_valid():
            try:
                taken = record_step(
                    case,
                    step,
                    values=form.values(),
                    user=request.user,
                    document=form.cleaned_data.get("document"),
                )
            except Refused as exc:
                messages.error(
                    request, _("Not saved: %(reasons)s") % {"reasons": " ".join(exc.messages)}
                )
            else:
                if taken.warnings:
                    messages.warning(
                        request,
                        _("Saved with warnings: %(warnings)s")
                        % {"warnings": " ".join(taken.warnings)},
                    )
                else:
                    messages.success(request, _("Step recorded."))
                return redirect("branches:branch_development_case", case.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "branches/development/case_detail.html",
        {
            "case": case,
            "branch": case.branch,
            "steps": case.steps.select_related("step").prefetch_related("people"),
            "next_step": step,
            "case_warnings": case_warnings(case, timezone.localdate()),
            "form": form,
            "extend_form": (
                ExtendProbationForm(prefix="extend")
                if can_edit and not case.probation_extension_months and in_probation(case)
                else None
            ),
            "stop_form": StopCaseForm(prefix="stop") if can_edit else None,
        },
    )


def _outcome(request, pk: int, form_class, prefix: str, action, done: str):
    case = _case(request.user, pk, edit=True)
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        reasons = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("Not saved: %(reasons)s") % {"reasons": " ".join(reasons)})
        return redirect("branches:branch_development_case", case.pk)
    try:
        action(case, user=request.user, **form.cleaned_data)
    except Refused as exc:
        messages.error(request, _("Not saved: %(reasons)s") % {"reasons": " ".join(exc.messages)})
    else:
        messages.success(request, done)
    return redirect("branches:branch_development_case", case.pk)


@require_POST
@login_required
def case_extend_probation(request, pk: int):
    return _outcome(
        request, pk, ExtendProbationForm, "extend", extend_probation, _("Probation extended.")
    )


@require_POST
@login_required
def case_stop(request, pk: int):
    return _outcome(request, pk, StopCaseForm, "stop", stop_case, _("Development case stopped."))
