"""The model's rules, applied wherever a value enters: forms, plain forms and imported rows.

The date window. Every date the portal stores lies between ``EARLIEST_DATE`` and
``LATEST_DATE`` (1900-01-01 to 2100-12-31):

* the roster keeps dates of birth and of joining the Party of members who joined in the 1940s
  and were born in the 1920s, and branches were founded decades ago, so the window cannot start
  near today; 1900 is before anything a living member or an existing branch can carry;
* nothing the portal schedules (deadlines, extensions, probation, letters) is planned more than
  a lifetime ahead, and the reminder planning adds and subtracts days and months to deadlines:
  a date such as 9999-12-31 overflows ``datetime.date`` there, 2100 leaves ample room;
* a mistyped year (0202, 20222) is caught as an error instead of being stored.

``SaneDateField`` (model) and ``SaneDateFormField`` (plain forms) carry the validator, so a
ModelForm (through ``full_clean``), a plain form and an imported cell refuse the same dates.

``model_field`` builds the form field of a plain form from the model field it will be saved
to, with the model's length, range and validators; ``model_errors`` runs the model's own
validation on an unsaved instance (what an import row is about to become).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

#: The most members a count of one branch can hold. A branch has tens, rarely hundreds, of
#: members; the database column would take two billion, so a typo reached the saved form.
MAX_MEMBER_COUNT = 10_000


def validate_sane_date(value) -> None:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date) and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("The date %(value)s is out of range; it must lie between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={
                "value": value.isoformat(),
                "first": EARLIEST_DATE.isoformat(),
                "last": LATEST_DATE.isoformat(),
            },
        )


class SaneDateFormField(forms.DateField):
    """A form date field that refuses dates outside the portal's window."""

    default_validators = [validate_sane_date]


class SaneDateField(models.DateField):
    """A model date field that refuses dates outside the portal's window (see module doc)."""

    default_validators = [validate_sane_date]

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return super().formfield(
            form_class=form_class or SaneDateFormField,
            choices_form_class=choices_form_class,
            **kwargs,
        )


def model_field(model: type[models.Model], name: str, **kwargs) -> forms.Field:
    """The form field for ``model.name`` with the model's limits, for a plain form.

    A ModelForm checks the model's validators in ``full_clean``; a plain form whose value a
    service saves does not, so a number beyond the column's range reached the database. The
    form field gets the model field's own validators, including the range of the database
    column Django adds to integer fields, and shows min/max in the browser.
    """
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a field of the form")
    if isinstance(field, models.IntegerField):
        lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
        highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
        bounds = {"min_value": max(lows)} if lows else {}
        if highs:
            bounds["max_value"] = min(highs)
        kwargs = {**bounds, **kwargs}
    form_field = field.formfield(**kwargs)
    if form_field is None:
        raise TypeError(f"{model.__name__}.{name} has no form field")
    present = {type(v) for v in form_field.validators}
    form_field.validators += [v for v in field.validators if type(v) not in present]
    return form_field


def model_errors(instance: models.Model, fields=None) -> dict[str, list[str]]:
    """The model's validation of ``instance`` (only ``fields`` when given): messages by field.

    Beyond ``full_clean``, the ``max_length`` of a text field is checked: Django puts it only
    on the form field, and an imported cell never passes through a form.
    """
    names = {f.name for f in instance._meta.concrete_fields}
    exclude = set() if fields is None else names - set(fields)
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.name in errors:
            continue
        if isinstance(field, models.TextField) and field.max_length:
            try:
                MaxLengthValidator(field.max_length)(getattr(instance, field.attname) or "")
            except ValidationError as exc:
                errors[field.name] = list(exc.messages)
    return errors
