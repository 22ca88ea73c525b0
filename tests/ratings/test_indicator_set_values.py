"""The indicator-set forms (editing a set and its indicators, copying a year) refuse any value
the model would not store with a form error, never a server error, and change nothing then."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ratings.indicator_sets import current_set
from ratings.models import Indicator, IndicatorSet
from tests.extreme_values import (
    EXAMPLES,
    assert_not_server_error,
    form_values,
    need_postgresql,
    one_example,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_set(personas):
    return current_set(personas.tree["committee"], 2022)


def _rows(model):
    return sorted(model.objects.values_list(), key=lambda row: row[0])


def _check_saved():
    for model in (IndicatorSet, Indicator):
        for record in model.objects.all():
            record.clean_fields()


@pytest.mark.postgres
@EXAMPLES
@given(
    title=form_values,
    placeholder=form_values,
    dimension=st.one_of(st.sampled_from(["", "political", "role"]), form_values),
    text=form_values,
    veto=form_values,
)
def test_indicator_set_edit_form(personas, own_set, title, placeholder, dimension, text, veto):
    need_postgresql()
    with one_example():
        indicators = list(own_set.indicators.order_by("pk"))
        data = {
            "set-title": title,
            "set-is_placeholder": placeholder,
            "ind-TOTAL_FORMS": str(len(indicators)),
            "ind-INITIAL_FORMS": str(len(indicators)),
            "ind-MIN_NUM_FORMS": "0",
            "ind-MAX_NUM_FORMS": "1000",
        }
        for i, indicator in enumerate(indicators):
            data[f"ind-{i}-id"] = str(indicator.pk)
            data[f"ind-{i}-dimension"] = indicator.dimension
            data[f"ind-{i}-text"] = indicator.text
        data.update({"ind-0-dimension": dimension, "ind-0-text": text, "ind-0-is_veto": veto})
        before = (_rows(IndicatorSet), _rows(Indicator))
        response = personas.client("office").post(
            reverse("ratings:indicator_set_edit", args=[own_set.pk]), data
        )
        assert_not_server_error(response)
        if response.status_code == 200:
            assert (_rows(IndicatorSet), _rows(Indicator)) == before
        _check_saved()


@pytest.mark.postgres
@EXAMPLES
@given(year=st.one_of(form_values, st.sampled_from(["2023", "2022", "2100", "2101", "1999"])))
def test_indicator_set_copy_form(personas, own_set, year):
    need_postgresql()
    with one_example():
        sets = IndicatorSet.objects.count()
        response = personas.client("office").post(
            reverse("ratings:indicator_set_copy", args=[own_set.pk]), {"year": year}
        )
        assert_not_server_error(response)
        copied = reverse("ratings:indicator_sets") != response["Location"]
        assert IndicatorSet.objects.count() == sets + (1 if copied else 0)
        _check_saved()
