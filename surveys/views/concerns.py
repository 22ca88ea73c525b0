"""The office's list of concerns that need the institute, across all branches of its committee."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.access import editable_organisations
from portal.access import get_in_scope_or_404
from portal.audit import log_action
from surveys.access import office_concerns
from surveys.audit_actions import ACTION_CONCERN_ANSWERED
from surveys.models import Concern
from surveys.sheets.base import DATE_INPUT, TEXTAREA

PER_PAGE = 25


class ConcernFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    branch = forms.ModelChoiceField(label=gettext_lazy("Branch"), queryset=None, required=False)
    answered = forms.ChoiceField(
        label=gettext_lazy("Office's answer"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("no", gettext_lazy("Waiting for the office")),
            ("yes", gettext_lazy("Answered")),
        ],
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class OfficeAnswerForm(forms.ModelForm):
    class Meta:
        model = Concern
        fields = ["office_department", "office_result", "office_told_on", "office_told_channel"]
        widgets = {"office_result": TEXTAREA, "office_told_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("office_department", "office_result"):
            self.fields[name].required = True


@login_required
def concern_list(request):
    rows = office_concerns(request.user)
    filters = ConcernFilterForm(
        request.GET, branches=editable_organisations(request.user).branches()
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            rows = rows.filter(Q(concern__icontains=data["q"]) | Q(suggestion__icontains=data["q"]))
        if data["branch"]:
            rows = rows.filter(sheet__assignment__branch=data["branch"])
        if data["answered"]:
            rows = rows.filter(office_recorded_at__isnull=data["answered"] == "no")
    rows = rows.select_related("sheet__assignment__branch", "sheet__assignment__item").order_by(
        "office_recorded_at", "-date", "id"
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "surveys/concern_list.html", {"filters": filters, "page": page})


@login_required
def concern_answer(request, pk: int):
    concern = get_in_scope_or_404(
        office_concerns(request.user).select_related("sheet__assignment__branch"), pk=pk
    )
    form = OfficeAnswerForm(request.POST or None, instance=concern)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            answer = form.save(commit=False)
            answer.office_recorded_at = timezone.now()
            answer.office_recorded_by = request.user
            answer.save()
            log_action(
                concern.sheet.assignment,
                ACTION_CONCERN_ANSWERED,
                user=request.user,
                data={"concern": concern.pk, "department": answer.office_department},
            )
        messages.success(request, _("The office's answer is recorded; the branch sees it."))
        return redirect("surveys:concern_list")
    return render(request, "surveys/concern_answer.html", {"concern": concern, "form": form})
