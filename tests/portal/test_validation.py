"""The one date window and the model's rules taken to plain forms and imported rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from branches.models import CaseStep, Person
from portal.validation import (
    EARLIEST_DATE,
    LATEST_DATE,
    SaneDateFormField,
    model_errors,
    model_field,
    validate_sane_date,
)
from ratings.models import StarSelfAssessment
from surveys.models import RectificationItem


@pytest.mark.parametrize("day", [EARLIEST_DATE, LATEST_DATE, date(1925, 7, 1), date(2030, 1, 1)])
def test_dates_inside_the_window_pass(day):
    validate_sane_date(day)


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31), date(2101, 1, 1), date.max])
def test_dates_outside_the_window_are_refused(day):
    with pytest.raises(ValidationError) as refused:
        validate_sane_date(day)
    assert refused.value.code == "date_out_of_range"


def test_model_and_form_date_fields_carry_the_window():
    assert validate_sane_date in Person._meta.get_field("birth_date").validators
    form_field = Person._meta.get_field("birth_date").formfield()
    assert isinstance(form_field, SaneDateFormField)
    with pytest.raises(ValidationError):
        SaneDateFormField().clean("9999-12-31")


@pytest.mark.django_db
def test_a_plain_form_field_takes_the_columns_range():
    field = model_field(CaseStep, "training_days", label="x")
    assert field.min_value == 0 and field.max_value is not None
    assert not field.required
    with pytest.raises(ValidationError):
        field.clean(str(10**20))
    with pytest.raises(ValidationError):
        field.clean("-1")
    assert field.clean("3") == 3


def test_model_errors_checks_only_the_fields_asked_for_and_text_length():
    sheet = StarSelfAssessment(secretary="书" * 51, full_members=10**20, gaps="差" * 4001)
    assert set(model_errors(sheet, ["secretary", "full_members", "gaps"])) == {
        "secretary",
        "full_members",
        "gaps",
    }
    assert model_errors(sheet, ["self_star"]) == {}
    row = RectificationItem(problem="p", measures="m", owner="o", deadline=date(2022, 10, 31))
    assert model_errors(row, ["problem", "measures", "owner", "deadline", "status"]) == {}
