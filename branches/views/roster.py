"""The people of a branch: list, add, edit, move, deceased/left, export, Excel import.

Editors (the office, the branch's secretary, deputy and organisation member) keep the roster;
committee members and regional viewers read it with masked phone numbers. The import is the
office's: upload → preview with every error by row → confirm (nothing is saved on any error).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.access import (
    can_see_contact_details,
    editable_branch,
    editable_organisations,
    readable_branch,
    scope_for,
)
from branches.exporters import RosterExporter
from branches.models import Organisation, Person, PersonStatus
from branches.services import Refused
from branches.services.roster import (
    PERSON_FIELDS,
    blank_value,
    import_people,
    move_person,
    save_person,
    set_status,
)
from portal.access import get_in_scope_or_404
from portal.validation import SaneDateFormField
from portal.widgets import DATE_INPUT
from portal.xlsx import XLSX_CONTENT_TYPE
from portal.xlsx_http import content_disposition, xlsx_response
from portal.xlsx_import import (
    ROW_KEY,
    ImportSpec,
    RowError,
    model_row_errors,
    read_xlsx,
    template_workbook,
)

PEOPLE_PER_PAGE = 50
SESSION_KEY = "roster-import-%s"


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = list(PERSON_FIELDS)
        widgets = {"birth_date": DATE_INPUT, "joined_on": DATE_INPUT}


class MoveForm(forms.Form):
    branch = forms.ModelChoiceField(
        label=gettext_lazy("Move to"), queryset=Organisation.objects.none()
    )
    day = SaneDateFormField(label=gettext_lazy("Date"), widget=DATE_INPUT, initial=date.today)
    letter_number = forms.CharField(
        label=gettext_lazy("Transfer letter number"), max_length=40, required=False
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        committee = person.branch.committee() if person.branch else None
        targets = (
            Organisation.objects.within(committee) if committee else Organisation.objects.none()
        )
        self.fields["branch"].queryset = targets.branches().active().exclude(pk=person.branch_id)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in roster (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _spec() -> ImportSpec:
    return ImportSpec.for_exporter(RosterExporter)


@login_required
def roster(request, pk: int):
    branch = readable_branch(request.user, pk)
    people = Person.objects.filter(branch=branch).order_by("status", "member_type", "name")
    status = request.GET.get("status", PersonStatus.ACTIVE)
    if status in PersonStatus.values:
        people = people.filter(status=status)
    search = request.GET.get("q", "").strip()[:60]
    if search:
        people = people.filter(name__icontains=search)
    editor = can_see_contact_details(request.user, branch)
    if request.GET.get("format") == "xlsx" and editor:
        return xlsx_response(RosterExporter(people, unit_name=branch.name))
    return render(
        request,
        "branches/roster/roster.html",
        {
            "branch": branch,
            "page": Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page")),
            "search": search,
            "status": status,
            "statuses": PersonStatus.choices,
            "can_edit": editor,
            "can_import": scope_for(request.user).is_office and editor,
        },
    )


def _person(user, pk) -> Person:
    return get_in_scope_or_404(
        Person.objects.filter(branch__in=editable_organisations(user).branches()).select_related(
            "branch"
        ),
        pk=pk,
    )


def _edit(request, branch, person):
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        record.branch = branch
        save_person(record, user=request.user)
        messages.success(request, _("Saved."))
        return redirect("branches:branch_roster", branch.pk)
    return render(
        request,
        "branches/roster/person_form.html",
        {"form": form, "branch": branch, "person": person},
    )


@login_required
def person_add(request, pk: int):
    return _edit(request, editable_branch(request.user, pk), None)


@login_required
def person_edit(request, pk: int):
    person = _person(request.user, pk)
    return _edit(request, person.branch, person)


@login_required
def person_move(request, pk: int):
    person = _person(request.user, pk)
    form = MoveForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        old = person.branch
        try:
            move_person(
                person,
                form.cleaned_data["branch"],
                day=form.cleaned_data["day"],
                letter_number=form.cleaned_data["letter_number"],
                user=request.user,
            )
        except Refused as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(name)s was moved; the transfer is kept in the relation cases.")
                % {"name": person.name},
            )
            return redirect("branches:branch_roster", old.pk)
    return render(
        request,
        "branches/roster/person_move.html",
        {"form": form, "person": person, "branch": person.branch},
    )


@require_POST
@login_required
def person_status(request, pk: int):
    person = _person(request.user, pk)
    try:
        set_status(person, request.POST.get("status", ""), user=request.user)
    except Refused as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("branches:branch_roster", person.branch_id)


def _office_branch(request, pk):
    branch = editable_branch(request.user, pk)
    if not scope_for(request.user).is_office:
        raise Http404
    return branch


@login_required
def roster_template(request, pk: int):
    branch = _office_branch(request, pk)
    response = HttpResponse(
        template_workbook(_spec(), unit_name=branch.name), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition(f"{RosterExporter.title}.xlsx")
    return response


def _check_rows(branch, rows) -> list[RowError]:
    """Beyond the cell checks: the model's rules for each person (lengths, e-mail, dates), and
    a name twice in the file, or already on the roster, is an error."""
    errors, seen = [], set()
    taken = set(Person.objects.filter(branch=branch).active().values_list("name", "birth_date"))
    header = str(RosterExporter.columns[0].header)
    headers = {c.key: str(c.header) for c in RosterExporter.columns}
    for row in rows:
        person = Person(branch=branch, **{k: row.get(k) or blank_value(k) for k in PERSON_FIELDS})
        errors += model_row_errors(row[ROW_KEY], person, headers, PERSON_FIELDS)
        key = (row["name"], row.get("birth_date"))
        if key in seen:
            errors.append(
                RowError(row[ROW_KEY], header, _("This person appears twice in the file."))
            )
        elif key in taken:
            errors.append(
                RowError(row[ROW_KEY], header, _("This person is already on the roster."))
            )
        seen.add(key)
    return errors


def _json_rows(rows):
    return [
        {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()} for row in rows
    ]


def _python_rows(rows):
    out = []
    for row in rows:
        out.append(
            {
                k: (date.fromisoformat(v) if k in ("birth_date", "joined_on") and v else v)
                for k, v in row.items()
            }
        )
    return out


@login_required
def roster_import(request, pk: int):
    branch = _office_branch(request, pk)
    context = {"branch": branch, "form": UploadForm(), "spec": _spec()}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            result = read_xlsx(_spec(), form.cleaned_data["file"])
            errors = list(result.errors) or _check_rows(branch, result.rows)
            context["errors"] = errors
            if not errors and not result.rows:
                context["errors_text"] = _("The file has no filled rows.")
            elif not errors:
                request.session[SESSION_KEY % branch.pk] = _json_rows(result.rows)
                exporter = RosterExporter(
                    [Person(**{k: r.get(k) for k in PERSON_FIELDS}) for r in result.rows]
                )
                context["preview"] = list(
                    zip([r[ROW_KEY] for r in result.rows], exporter.display_rows(), strict=True)
                )
    return render(request, "branches/roster/import.html", context)


@require_POST
@login_required
def roster_import_confirm(request, pk: int):
    branch = _office_branch(request, pk)
    staged = request.session.pop(SESSION_KEY % branch.pk, None)
    if not staged:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("branches:branch_roster_import", branch.pk)
    rows = _python_rows(staged)
    errors = _check_rows(branch, rows)
    if errors:
        messages.error(request, " ".join(str(e) for e in errors))
        return redirect("branches:branch_roster_import", branch.pk)
    count = import_people(
        branch, [{k: r.get(k) for k in PERSON_FIELDS} for r in rows], user=request.user
    )
    messages.success(request, _("%(count)s people imported.") % {"count": count})
    return redirect("branches:branch_roster", branch.pk)
