"""The one "header + repeatable rows" mechanism shared by the row-based sheets (attachment forms).

A sheet module declares its models, the fields of the header and of a row, and an exporter;
``SheetKind`` then provides what the workflow needs (form, apply, submit_errors, summary) and
what the generic export, print, import and carry-forward views call (``exporter``,
``import_spec``, ``check_import``, ``apply_import``, ``carry_forward``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import inlineformset_factory, modelform_factory
from django.forms.utils import ErrorList
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.models import MeetingType
from portal.exporters import Exporter
from portal.widgets import DATE_INPUT
from portal.xlsx_import import ROW_KEY, ImportSpec, RowError, model_row_errors
from tasks.kinds import DeliverableKind
from tasks.kinds.meeting import matching_meetings

TEXTAREA = forms.Textarea(attrs={"rows": 2})
IGNORED_ON_CHANGE = {"position", "DELETE", "id", "sheet"}


class SheetRowsExporter(Exporter):
    """Rows of one sheet, column values read from the row's attribute named by the key."""

    def __init__(self, rows: Iterable[models.Model] = (), **kwargs):
        super().__init__(**kwargs)
        self._rows = rows

    def rows(self):
        for number, row in enumerate(self._rows, 1):
            yield [
                number if col.key == "position" else getattr(row, col.key) for col in self.columns
            ]


class BaseRowForm(forms.ModelForm):
    def has_changed(self) -> bool:
        # A freshly added row whose only input is its position is still an empty row.
        return any(name not in IGNORED_ON_CHANGE for name in self.changed_data)


class LinkedMeetingForm(forms.Form):
    """The meeting record a form item asks for beside its rows (item 二 of the seed: a 支委会
    held on the rectification list)."""

    meetings = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Meeting record"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only this branch's records of the required type are listed."),
    )

    def __init__(self, *args, assignment, **kwargs):
        kwargs.setdefault(
            "initial",
            {"meetings": list(assignment.meetings.values_list("pk", flat=True))}
            if assignment.pk
            else {},
        )
        super().__init__(*args, **kwargs)
        self.fields["meetings"].queryset = matching_meetings(assignment)


class SheetForm:
    """A header ModelForm plus an inline formset of rows, validated and saved together."""

    def __init__(self, kind: SheetKind, assignment, *, data=None):
        self.kind = kind
        self.assignment = assignment
        self.sheet = kind.get_sheet(assignment) or kind.sheet_model(assignment=assignment)
        header_cls = modelform_factory(
            kind.sheet_model, fields=kind.header_fields, widgets=kind.widgets(kind.sheet_model)
        )
        self.header = header_cls(data=data, instance=self.sheet, prefix="h")
        has_rows = self.sheet.pk is not None and self.sheet.rows.exists()
        formset_cls = inlineformset_factory(
            kind.sheet_model,
            kind.row_model,
            form=BaseRowForm,
            fk_name="sheet",
            fields=[*kind.row_fields, "position"],
            widgets={**kind.widgets(kind.row_model), "position": forms.HiddenInput},
            extra=0 if has_rows else 1,
            can_delete=True,
        )
        self.rows = formset_cls(data=data, instance=self.sheet, prefix="rows")
        self.meetings = (
            LinkedMeetingForm(data=data, assignment=assignment, prefix="m")
            if assignment.item.required_meeting_type
            else None
        )

    # --- what the task page expects of a form (its template is ``SheetKind.form_template``)
    def is_valid(self) -> bool:
        header_ok = self.header.is_valid()
        rows_ok = self.rows.is_valid()
        meetings_ok = self.meetings is None or self.meetings.is_valid()
        return header_ok and rows_ok and meetings_ok

    @property
    def errors(self):
        return {"header": self.header.errors, "rows": self.rows.errors}

    def non_field_errors(self) -> ErrorList:
        return ErrorList(self.header.non_field_errors() + self.rows.non_form_errors())

    @property
    def media(self):
        return self.header.media

    # --- saving (inside the workflow's transaction, on the locked assignment) --------------
    def save(self, assignment) -> None:
        if self.meetings is not None:
            assignment.meetings.set(self.meetings.cleaned_data["meetings"])
        sheet = self.header.save(commit=False)
        sheet.assignment = assignment
        sheet.save()
        self.rows.instance = sheet
        kept = []
        deleted = self.rows.deleted_forms
        for index, form in enumerate(self.rows.forms):
            if form in deleted:
                if form.instance.pk:
                    form.instance.delete()
                continue
            if not hasattr(form, "cleaned_data") or not form.has_changed() and not form.instance.pk:
                continue
            kept.append((form.cleaned_data.get("position") or 10_000 + index, index, form))
        for number, (_p, _i, form) in enumerate(sorted(kept, key=lambda k: k[:2]), 1):
            row = form.save(commit=False)
            row.sheet = sheet
            row.position = number
            row.save()


class SheetKind(DeliverableKind):
    """Base of the row-based attachment kinds; subclasses set the class attributes."""

    sheet_model: type[models.Model]
    row_model: type[models.Model]
    header_fields: Sequence[str] = ()
    row_fields: Sequence[str] = ()
    exporter_class: type[SheetRowsExporter]
    audit_name = ""  # e.g. "surveys.rectification"
    view_template = "surveys/sheet_view.html"
    form_template = "surveys/sheet_form.html"
    row_label = gettext_lazy("Row")
    can_carry_forward = False
    #: Fields of a row the branch does not fill (the office's answers): an import carries
    #: them over to the imported row that describes the same thing (``row_identity``), so
    #: re-importing a returned sheet never drops them.
    kept_fields: Sequence[str] = ()

    # --- data access ------------------------------------------------------------------------
    def get_sheet(self, assignment):
        return self.sheet_model.objects.filter(assignment=assignment).first()

    def rows_of(self, assignment) -> list:
        sheet = self.get_sheet(assignment)
        return list(sheet.rows.all()) if sheet else []

    def widgets(self, model) -> dict[str, forms.Widget]:
        found = {}
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField):
                found[field.name] = TEXTAREA
            elif isinstance(field, models.DateField):
                found[field.name] = DATE_INPUT
        return found

    def header_items(self, assignment) -> list[tuple[str, Any]]:
        """(label, value) of the header, for the read-only view and the print page."""
        sheet = self.get_sheet(assignment)
        items = []
        for name in self.header_fields:
            field = self.sheet_model._meta.get_field(name)
            value = getattr(sheet, name) if sheet else None
            if field.choices and sheet:
                value = getattr(sheet, f"get_{name}_display")()
            items.append((str(field.verbose_name), value))
        return items

    # --- the workflow -----------------------------------------------------------------------
    def form(self, assignment, *, data=None, files=None):
        return SheetForm(self, assignment, data=data)

    def apply(self, form, assignment, user) -> list[str]:
        form.save(assignment)
        return []

    def submit_errors(self, assignment) -> list[str]:
        errors = []
        item = assignment.item
        if (
            item.required_meeting_type
            and not matching_meetings(assignment).filter(assignments=assignment).exists()
        ):
            errors.append(
                _("Link the %(meeting)s record this task asks for before submitting.")
                % {"meeting": self.meeting_label(item)}
            )
        rows = self.rows_of(assignment)
        if not rows:
            return [*errors, _("Add at least one row before submitting.")]
        for row in rows:
            try:
                row.full_clean(exclude=["sheet"])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    label = self._field_label(field)
                    for message in messages:
                        errors.append(
                            _("Row %(row)s, %(column)s: %(message)s")
                            % {"row": row.position, "column": label, "message": message}
                        )
        return errors

    def meeting_label(self, item) -> str:
        return str(MeetingType(item.required_meeting_type).label)

    def describe_requirement(self, item) -> str:
        if not item.required_meeting_type:
            return ""
        return _("with a linked %(meeting)s record") % {"meeting": self.meeting_label(item)}

    def summary(self, assignment) -> str:
        count = len(self.rows_of(assignment))
        return _("%(count)s row(s)") % {"count": count}

    def _field_label(self, name: str) -> str:
        try:
            return str(self.row_model._meta.get_field(name).verbose_name)
        except Exception:
            return name

    # --- Excel ------------------------------------------------------------------------------
    def exporter(self, assignment, **kwargs) -> Exporter:
        kwargs.setdefault("filled_on", self.filled_on(assignment))
        return self.exporter_class(
            rows=self.rows_of(assignment), unit_name=assignment.branch.name, **kwargs
        )

    def import_spec(self) -> ImportSpec:
        return ImportSpec.for_exporter(self.exporter_class)

    def _instances(self, rows: list[dict]) -> list:
        keys = [c.key for c in self.exporter_class.columns if c.key != "position"]
        made = []
        for record in rows:
            values = {k: record.get(k) for k in keys}
            for key, value in values.items():
                field = self.row_model._meta.get_field(key)
                if value is None and not field.null:
                    values[key] = ""
            made.append(self.row_model(**values))
        return made

    def preview_objects(self, rows: list[dict]) -> list:
        return self._instances(rows)

    def check_import(self, assignment, rows: list[dict]) -> list[RowError]:
        """The model's own rules, row by row, named by Excel row and column header."""
        headers = {c.key: str(c.header) for c in self.exporter_class.columns}
        fields = [f.name for f in self.row_model._meta.concrete_fields if f.name != "sheet"]
        errors = []
        for record, row in zip(rows, self._instances(rows), strict=True):
            errors += model_row_errors(record[ROW_KEY], row, headers, fields)
        return errors

    def row_identity(self, row) -> tuple:
        """What makes an imported row the same as a stored one (for ``kept_fields``)."""
        return ()

    def apply_import(self, assignment, rows: list[dict]) -> int:
        """Replace the rows by the imported ones (header fields are kept, and the
        ``kept_fields`` of each row that is still there)."""
        sheet = self.get_sheet(assignment) or self.sheet_model.objects.create(assignment=assignment)
        kept: dict[tuple, list[dict]] = {}
        if self.kept_fields:
            for old in sheet.rows.order_by("position"):
                values = {name: getattr(old, name) for name in self.kept_fields}
                kept.setdefault(self.row_identity(old), []).append(values)
        sheet.rows.all().delete()
        made = self._instances(rows)
        for number, row in enumerate(made, 1):
            row.sheet = sheet
            row.position = number
            matches = kept.get(self.row_identity(row))
            if matches:
                for name, value in matches.pop(0).items():
                    setattr(row, name, value)
        self.row_model.objects.bulk_create(made)
        sheet.save()
        return len(made)

    # --- carry forward ----------------------------------------------------------------------
    def previous_sheet(self, assignment):
        year = assignment.item.area.notice.year
        return (
            self.sheet_model.objects.filter(
                assignment__branch_id=assignment.branch_id,
                assignment__item__kind=self.key,
                assignment__item__area__notice__year__lt=year,
            )
            .order_by("-assignment__item__area__notice__year", "-assignment__item__deadline")
            .first()
        )

    def carry_rows(self, rows: list) -> list:
        return rows

    def carry_forward(self, assignment) -> int | None:
        """Copy last year's sheet into this empty one; None when there is nothing to copy."""
        previous = self.previous_sheet(assignment)
        if previous is None:
            return None
        sheet = self.get_sheet(assignment) or self.sheet_model(assignment=assignment)
        for name in self.header_fields:
            setattr(sheet, name, getattr(previous, name))
        sheet.save()
        copied = []
        for row in self.carry_rows(list(previous.rows.all())):
            values = {name: getattr(row, name) for name in self.row_fields}
            copied.append(self.row_model(sheet=sheet, **values))
        for number, row in enumerate(copied, 1):
            row.position = number
        self.row_model.objects.bulk_create(copied)
        return len(copied)


def json_rows(columns, rows: list[dict]) -> list[dict]:
    """Imported rows as JSON-safe values (dates as ISO text) to keep them until confirmed."""
    out = []
    for record in rows:
        out.append(
            {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in record.items()}
        )
    return out


def python_rows(columns, rows: list[dict]) -> list[dict]:
    dates = {c.key for c in columns if c.kind == "date"}
    out = []
    for record in rows:
        out.append(
            {
                k: datetime.date.fromisoformat(v) if k in dates and v else v
                for k, v in record.items()
            }
        )
    return out
