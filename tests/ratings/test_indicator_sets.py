"""The office edits the yearly indicator sets and copies a year to the next."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditEntry
from ratings.models import IndicatorSet

pytestmark = pytest.mark.django_db


def test_office_lists_sets_with_the_placeholder_label(personas):
    html = personas.client("office").get(reverse("ratings:indicator_sets")).content.decode()
    assert "2022" in html and "placeholder" in html


def test_office_edits_the_indicators(personas, _placeholder_set):
    url = reverse("ratings:indicator_set_edit", args=[_placeholder_set.pk])
    client = personas.client("office")
    formset = client.get(url).context["formset"]
    data = {
        "set-title": "2022年正式指标",
        "set-is_placeholder": "",
        "ind-TOTAL_FORMS": "20",
        "ind-INITIAL_FORMS": "20",
        "ind-MIN_NUM_FORMS": "0",
        "ind-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(formset.forms):
        data[f"ind-{i}-id"] = str(form.instance.pk)
        data[f"ind-{i}-dimension"] = form.instance.dimension
        data[f"ind-{i}-text"] = form.instance.text
    data["ind-0-text"] = "每月开展集中理论学习"
    assert client.post(url, data).status_code == 302
    changed = IndicatorSet.objects.get(pk=_placeholder_set.pk)
    assert not changed.is_placeholder and changed.title == "2022年正式指标"
    assert changed.indicators.get(number=1).text == "每月开展集中理论学习"
    assert AuditEntry.objects.filter(action="ratings.indicator_set.changed").exists()


def test_copy_a_year(personas, _placeholder_set):
    client = personas.client("office")
    url = reverse("ratings:indicator_set_copy", args=[_placeholder_set.pk])
    assert client.post(url, {"year": "2023"}).status_code == 302
    copy = IndicatorSet.objects.get(year=2023)
    assert copy.indicators.count() == 20 and copy.is_placeholder
    # the same year twice is refused with a message
    response = client.post(url, {"year": "2023"}, follow=True)
    assert "already has a set" in response.content.decode()
    assert IndicatorSet.objects.filter(year=2023).count() == 1


@pytest.mark.parametrize("persona", ["secretary_a", "committee", "member"])
def test_only_the_office(personas, persona, _placeholder_set):
    client = personas.client(persona)
    assert client.get(reverse("ratings:indicator_sets")).status_code == 404
    url = reverse("ratings:indicator_set_copy", args=[_placeholder_set.pk])
    assert client.post(url, {"year": "2030"}).status_code == 404
