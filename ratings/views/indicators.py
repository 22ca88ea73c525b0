"""The office's pages for the yearly indicator sets: list, edit the 20 indicators, copy a year."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import modelformset_factory
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.audit import log_action
from ratings.access import get_indicator_set_for_office, office_committees, office_indicator_sets
from ratings.audit_actions import ACTION_INDICATOR_SET_CHANGED
from ratings.indicator_sets import copy_set, ensure_committee_set
from ratings.models import Indicator, IndicatorSet


class SetForm(forms.ModelForm):
    class Meta:
        model = IndicatorSet
        fields = ["title", "is_placeholder"]


class CopyForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("New year"), min_value=2000, max_value=2100)

    def __init__(self, *args, committee=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee

    def clean_year(self):
        year = self.cleaned_data["year"]
        if IndicatorSet.objects.filter(committee=self.committee, year=year).exists():
            raise forms.ValidationError(_("The year %(year)s already has a set.") % {"year": year})
        return year


IndicatorFormSet = modelformset_factory(
    Indicator,
    fields=["dimension", "text", "is_veto"],
    extra=0,
    widgets={"text": forms.TextInput(attrs={"class": "form-control-sm"})},
)


@login_required
def indicator_sets(request):
    committees = list(office_committees(request.user))
    for committee in committees:
        # A committee new to the portal starts from its own copy of the template set.
        ensure_committee_set(committee, timezone.localdate().year)
    sets = office_indicator_sets(request.user).select_related("committee")
    return render(
        request,
        "ratings/indicator_sets.html",
        {"sets": sets, "copy_form": CopyForm(), "several_committees": len(committees) > 1},
    )


@login_required
def indicator_set_edit(request, pk: int):
    indicator_set = get_indicator_set_for_office(request.user, pk)
    queryset = indicator_set.indicators.all()
    form = SetForm(request.POST or None, instance=indicator_set, prefix="set")
    formset = IndicatorFormSet(request.POST or None, queryset=queryset, prefix="ind")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                form.save()
                formset.save()
                log_action(indicator_set, ACTION_INDICATOR_SET_CHANGED, user=request.user)
            messages.success(request, _("The indicator set is saved."))
            return redirect("ratings:indicator_set_edit", indicator_set.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved."))
    return render(
        request,
        "ratings/indicator_set_edit.html",
        {
            "indicator_set": indicator_set,
            "form": form,
            "formset": formset,
            "copy_form": CopyForm(),
        },
    )


@require_POST
@login_required
def indicator_set_copy(request, pk: int):
    source = get_indicator_set_for_office(request.user, pk)
    form = CopyForm(request.POST, committee=source.committee)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("year", [])))
        return redirect("ratings:indicator_sets")
    copy = copy_set(
        source, committee=source.committee, year=form.cleaned_data["year"], user=request.user
    )
    messages.success(request, _("Copied to %(year)s; edit it there.") % {"year": copy.year})
    return redirect("ratings:indicator_set_edit", copy.pk)
