"""Membership-relation cases: the branch's list and case pages, the office's list across
branches (filters, paging), exports."""

from __future__ import annotations

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
from branches.exporters import RelationCaseExporter
from branches.models import Person, RelationCase, RelationKind
from branches.services import Refused
from branches.services.relations import (
    CASE_FIELDS,
    add_attempt,
    case_flags,
    cases_with_flags,
    save_case,
)
from portal.access import get_in_scope_or_404
from portal.validation import SaneDateFormField
from portal.widgets import DATE_INPUT
from portal.xlsx_http import xlsx_response

CASES_PER_PAGE = 30


class CaseForm(forms.ModelForm):
    class Meta:
        model = RelationCase
        fields = ["person", *CASE_FIELDS]
        widgets = {
            name: DATE_INPUT
            for name in CASE_FIELDS
            if name.endswith("_on") or name.endswith("_until") or name == "correction_deadline"
        } | {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(branch=branch).members()
        if self.instance.pk:
            self.fields["person"].disabled = True


class AttemptForm(forms.Form):
    day = SaneDateFormField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    method = forms.CharField(label=gettext_lazy("Method"), max_length=60)
    result = forms.CharField(label=gettext_lazy("Result"), max_length=200)
    reached = forms.BooleanField(label=gettext_lazy("Reached"), required=False)


def _with_flags(cases, today):
    return cases_with_flags(cases, today)


def _filtered(request, cases):
    kind = request.GET.get("kind", "")
    search = request.GET.get("q", "").strip()[:60]
    cases = cases.of_kind(kind if kind in RelationKind.values else "").search(search)
    if request.GET.get("state") != "all":
        cases = cases.open()
    return cases.select_related("person", "branch"), kind, search


@login_required
def branch_cases(request, pk: int):
    branch = readable_branch(request.user, pk)
    today = timezone.localdate()
    cases, kind, search = _filtered(request, RelationCase.objects.filter(branch=branch))
    if request.GET.get("format") == "xlsx":
        cases = list(cases.prefetch_related("attempts"))
        flags = {c.pk: f for c, f in _with_flags(cases, today)}
        return xlsx_response(RelationCaseExporter(cases, flags, unit_name=branch.name))
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/relations/case_list.html",
        {
            "branch": branch,
            "page": page,
            "rows": _with_flags(page, today),
            "kinds": RelationKind.choices,
            "kind": kind,
            "search": search,
            "state": request.GET.get("state", ""),
            "can_edit": can_edit_organisation(request.user, branch),
        },
    )


@login_required
def office_cases(request):
    scope = scope_for(request.user)
    if not scope.reads_across_branches:
        raise Http404
    today = timezone.localdate()
    branches = readable_branches(request.user)
    cases = RelationCase.objects.filter(branch__in=branches)
    branch_id = request.GET.get("branch", "")
    if branch_id.isdigit():
        cases = cases.filter(branch_id=int(branch_id))
    cases, kind, search = _filtered(request, cases)
    flagged_only = request.GET.get("flagged") == "1"
    if request.GET.get("format") == "xlsx":
        cases = list(cases.prefetch_related("attempts"))
        flags = {c.pk: f for c, f in _with_flags(cases, today)}
        return xlsx_response(RelationCaseExporter(cases, flags))
    rows = _with_flags(cases, today)
    if flagged_only:
        rows = [row for row in rows if row[1]]
    page = Paginator(rows, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "branches/relations/office_list.html",
        {
            "page": page,
            "kinds": RelationKind.choices,
            "kind": kind,
            "search": search,
            "branches": branches.order_by("path"),
            "branch_id": branch_id,
            "flagged": flagged_only,
            "state": request.GET.get("state", ""),
        },
    )


def _case(user, pk, *, edit: bool) -> RelationCase:
    branches = editable_organisations(user).branches() if edit else readable_branches(user)
    return get_in_scope_or_404(
        RelationCase.objects.filter(branch__in=branches).select_related("person", "branch"), pk=pk
    )


def _edit(request, branch, case: RelationCase | None):
    form = CaseForm(
        request.POST or None,
        instance=case,
        branch=branch,
        initial=None if case else {"opened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.branch = branch
        try:
            saved = save_case(record, user=request.user)
        except Refused as exc:
            messages.error(
                request, _("Not saved: %(reasons)s") % {"reasons": " ".join(exc.messages)}
            )
        else:
            messages.success(request, _("Relation case saved."))
            return redirect("branches:branch_relation_case", saved.pk)
    elif request.method == "POST":
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    return render(
        request, "branches/relations/case_form.html", {"form": form, "branch": branch, "case": case}
    )


@login_required
def case_create(request, pk: int):
    return _edit(request, editable_branch(request.user, pk), None)


@login_required
def case_edit(request, pk: int):
    case = _case(request.user, pk, edit=True)
    return _edit(request, case.branch, case)


@login_required
def case_detail(request, pk: int):
    case = _case(request.user, pk, edit=False)
    can_edit = can_edit_organisation(request.user, case.branch)
    return render(
        request,
        "branches/relations/case_detail.html",
        {
            "case": case,
            "branch": case.branch,
            "flags": case_flags(case, timezone.localdate()),
            "attempts": case.attempts.all(),
            "can_edit": can_edit,
            "attempt_form": AttemptForm(initial={"day": timezone.localdate()})
            if can_edit
            else None,
        },
    )


@require_POST
@login_required
def attempt_add(request, pk: int):
    case = _case(request.user, pk, edit=True)
    form = AttemptForm(request.POST)
    if form.is_valid():
        add_attempt(case, user=request.user, **form.cleaned_data)
        messages.success(request, _("Search attempt recorded."))
    else:
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    return redirect("branches:branch_relation_case", case.pk)
