"""Import a filled template: upload → preview with every problem → confirm → saved at once.

Nothing touches the form's tables before the confirmation; the validated rows wait in the
session, together with the version of the assignment they were checked against.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.audit import log_action
from portal.errors import Refused
from portal.xlsx_import import ROW_KEY, read_xlsx
from surveys.sheets.base import json_rows, python_rows
from surveys.views.sheets import detail_url, sheet_for_user
from tasks import services
from tasks.audit_actions import sheet_imported
from tasks.errors import AccessRefused, EditConflict
from tasks.models import OPEN_STATUSES

SESSION_KEY = "sheet-import-%s"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


def _editable(request, assignment):
    if assignment.status in OPEN_STATUSES:
        return True
    messages.warning(request, _("This task can no longer be changed."))
    return False


@login_required
def sheet_import(request, pk: int):
    assignment, kind = sheet_for_user(request.user, pk, edit=True)
    if not hasattr(kind, "apply_import"):
        raise Http404
    if not _editable(request, assignment):
        return redirect(detail_url(assignment))
    spec = kind.import_spec()
    context = {"assignment": assignment, "kind": kind, "spec": spec, "form": UploadForm()}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            result = read_xlsx(spec, form.cleaned_data["file"])
            errors = list(result.errors)
            fields = _fields_of(kind, result)
            if result.ok:
                errors = kind.check_import(assignment, result.rows)
                if fields:
                    errors += kind.check_fields(fields, result.field_rows)
            context["errors"] = errors
            context["file_name"] = form.cleaned_data["file"].name
            if not errors and not result.rows:
                context["errors_text"] = _("The file has no filled rows.")
            elif not errors:
                request.session[SESSION_KEY % assignment.pk] = {
                    "rows": json_rows(spec.columns, result.rows),
                    "fields": {k: _to_json(v) for k, v in fields.items()},
                    "version": assignment.version,
                }
                context["preview"] = _preview(spec, kind, result.rows)
                context["preview_fields"] = _field_labels(spec, fields)
                context["current_count"] = len(kind.rows_of(assignment))
    return render(request, "surveys/sheet_import.html", context)


def _fields_of(kind, result) -> dict:
    """Header and footer values read from the file, for the forms that import them."""
    if not hasattr(kind, "check_fields"):
        return {}
    return {**result.header, **result.footer}


def _field_labels(spec, fields: dict) -> list[tuple[str, object]]:
    labels = {c.key: c.header for c in (*spec.header_columns, *spec.footer_columns)}
    return [(labels.get(name, name), value) for name, value in fields.items()]


def _to_json(value):
    # The session is JSON: dates travel as ISO text and come back as dates.
    return {"date": value.isoformat()} if isinstance(value, date) else value


def _from_json(value):
    return date.fromisoformat(value["date"]) if isinstance(value, dict) else value


def _preview(spec, kind, rows):
    exporter = kind.exporter_class(rows=kind.preview_objects(rows))
    return {
        "columns": spec.columns,
        "rows": [
            (record[ROW_KEY], values)
            for record, values in zip(rows, exporter.display_rows(), strict=True)
        ],
    }


@require_POST
@login_required
def sheet_import_confirm(request, pk: int):
    assignment, kind = sheet_for_user(request.user, pk, edit=True)
    if not hasattr(kind, "apply_import"):
        raise Http404
    staged = request.session.pop(SESSION_KEY % assignment.pk, None)
    if not staged:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("surveys:sheet_import", assignment.pk)
    spec = kind.import_spec()
    rows = python_rows(spec.columns, staged["rows"])
    fields = {k: _from_json(v) for k, v in staged.get("fields", {}).items()}
    saved: list[int] = []

    def apply(locked):
        count = (
            kind.apply_import(locked, rows, fields) if fields else kind.apply_import(locked, rows)
        )
        log_action(locked, sheet_imported(kind.audit_name), user=request.user, data={"rows": count})
        saved.append(count)
        return []

    try:
        services.save_draft(assignment.pk, request.user, version=staged["version"], apply=apply)
    except AccessRefused as exc:
        raise Http404 from exc
    except EditConflict:
        # The checked rows were checked against a form that has changed since, and they are
        # no longer kept: say so, and lead straight back to the upload.
        messages.error(
            request,
            _(
                "Someone else saved this form after you uploaded the file; nothing was "
                "imported. Upload the file again to check it against the form as it is now."
            ),
        )
        return redirect("surveys:sheet_import", assignment.pk)
    except Refused as exc:
        messages.error(request, exc.message)
        return redirect(detail_url(assignment))
    messages.success(
        request, _("%(count)s row(s) imported and saved as a draft.") % {"count": saved[0]}
    )
    return redirect(detail_url(assignment))
