"""The dossier pages: choose the year and format, follow the build, download the file."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.home_cards import Card
from branches.models import MeetingRecord
from dossiers import build
from dossiers.access import (
    can_build_dossier,
    dossier_branch,
    dossier_branches,
    dossier_exports,
    get_dossier_export,
)
from dossiers.services import DossierRefused, request_dossier
from tasks.models import Assignment, local_today
from tasks.views.exports import serve_finished_export

RECENT_EXPORTS = 5


def year_choices(branch) -> list[int]:
    """This year, and every year with a meeting record or a work notice of the branch."""
    years = {local_today().year}
    years.update(d.year for d in MeetingRecord.objects.for_branch(branch).dates("date", "year"))
    years.update(
        Assignment.objects.for_branch(branch)
        .values_list("item__area__notice__year", flat=True)
        .distinct()
    )
    return sorted(years, reverse=True)


class DossierForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    file_format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            (build.DOCX, gettext_lazy("Word (.docx), editable")),
            (build.PDF, gettext_lazy("PDF, for printing")),
        ],
        initial=build.DOCX,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, years: list[int], pdf: bool, **kwargs):
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.ChoiceField)
        year_field.choices = [(y, str(y)) for y in years]
        format_field = self.fields["file_format"]
        assert isinstance(format_field, forms.ChoiceField)
        if not pdf:
            format_field.choices = [c for c in format_field.choices if c[0] != build.PDF]


@login_required
def dossier_index(request):
    branches = list(dossier_branches(request.user).order_by("path"))
    if not branches:
        raise Http404
    return render(request, "dossiers/index.html", {"branches": branches})


@login_required
def branch_dossier(request, pk: int):
    branch = dossier_branch(request.user, pk)
    years = year_choices(branch)
    pdf = build.pdf_available()
    form = DossierForm(request.POST or None, years=years, pdf=pdf)
    if request.method == "POST" and form.is_valid():
        try:
            export, _created = request_dossier(
                branch, form.cleaned_data["year"], form.cleaned_data["file_format"], request.user
            )
        except DossierRefused as exc:
            messages.error(request, exc.message)
        else:
            return redirect("dossiers:export_detail", export.pk)
    recent = dossier_exports(request.user).filter(organisation=branch)[:RECENT_EXPORTS]
    return render(
        request,
        "dossiers/branch.html",
        {"branch": branch, "form": form, "pdf": pdf, "recent": recent},
    )


@login_required
def export_detail(request, pk: int):
    """The progress page; htmx polls the same URL every second for the bar alone."""
    export = get_dossier_export(request.user, pk)
    template = "dossiers/_progress.html" if request.htmx else "dossiers/export_detail.html"
    return render(request, template, {"export": export})


@login_required
def export_download(request, pk: int):
    export = get_dossier_export(request.user, pk)
    pdf = export.file_format == build.PDF
    return serve_finished_export(
        request,
        export,
        progress_url="dossiers:export_detail",
        expired_template="dossiers/expired.html",
        content_type=build.PDF_CONTENT_TYPE if pdf else build.DOCX_CONTENT_TYPE,
        fallback_name=f"dossier.{export.file_format}",
        audit_object=export.organisation,
        audit_data={"kind": export.kind, "year": export.year},
    )


# --- what the dossier adds to other pages ----------------------------------------------------
def dossier_panel(request, organisation):
    """The "台账" entry on the branch page, for those who may build the branch's dossier."""
    if not can_build_dossier(request.user, organisation):
        return None
    return "dossiers/_panel.html", {"branch": organisation}


def liaison_cards(request, target) -> list[Card]:
    """The liaison member's home page: his branches' dossiers, one link each."""
    branches = list(dossier_branches(request.user).filter(liaison_members__user=request.user))
    if not branches:
        return []
    return [
        Card(
            key="dossiers.liaison",
            title=_("Yearly dossiers (台账)"),
            count=len(branches),
            url=reverse("dossiers:index"),
            rows=[(b.name, reverse("dossiers:branch", args=[b.pk]), "") for b in branches[:5]],
            urgent=False,
        )
    ]
