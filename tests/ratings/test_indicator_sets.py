"""The office edits its committee's yearly indicator sets and copies a year to the next; each
committee has its own sets, and one committee's office never reaches another's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditEntry
from ratings.audit_actions import ACTION_INDICATOR_SET_CHANGED
from ratings.indicator_sets import current_set
from ratings.models import IndicatorSet
from tasks.kinds import get_kind
from tests.builders.tasks import assignment_of, form_assignment, published_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_set(personas):
    """The personas' committee's set: its copy of the template."""
    return current_set(personas.tree["committee"], 2022)


def _edit_data(client, url, *, title, first_text):
    formset = client.get(url).context["formset"]
    data = {
        "set-title": title,
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
    data["ind-0-text"] = first_text
    return data


def test_office_lists_its_sets_with_the_placeholder_label(personas):
    html = personas.client("office").get(reverse("ratings:indicator_sets")).content.decode()
    assert "2022" in html and "placeholder" in html
    # Opening the page gave the committee its own copy of the template.
    own = IndicatorSet.objects.get(committee=personas.tree["committee"])
    assert own.indicators.count() == 20 and own.is_placeholder
    assert reverse("ratings:indicator_set_edit", args=[own.pk]) in html


def test_office_edits_the_indicators(personas, own_set, _placeholder_set):
    url = reverse("ratings:indicator_set_edit", args=[own_set.pk])
    client = personas.client("office")
    data = _edit_data(client, url, title="2022年正式指标", first_text="每月开展集中理论学习")
    assert client.post(url, data).status_code == 302
    changed = IndicatorSet.objects.get(pk=own_set.pk)
    assert not changed.is_placeholder and changed.title == "2022年正式指标"
    assert changed.indicators.get(number=1).text == "每月开展集中理论学习"
    assert AuditEntry.objects.filter(action=ACTION_INDICATOR_SET_CHANGED).exists()
    # The template a new committee copies is untouched.
    assert _placeholder_set.indicators.get(number=1).text == "每月开展理论学习"


def test_copy_a_year(personas, own_set):
    client = personas.client("office")
    url = reverse("ratings:indicator_set_copy", args=[own_set.pk])
    assert client.post(url, {"year": "2023"}).status_code == 302
    copy = IndicatorSet.objects.get(year=2023)
    assert copy.indicators.count() == 20 and copy.is_placeholder
    assert copy.committee == personas.tree["committee"]
    # the same year twice is refused with a message
    response = client.post(url, {"year": "2023"}, follow=True)
    assert "already has a set" in response.content.decode()
    assert IndicatorSet.objects.filter(year=2023).count() == 1


@pytest.mark.parametrize("persona", ["secretary_a", "committee", "member"])
def test_only_the_office(personas, persona, own_set):
    client = personas.client(persona)
    assert client.get(reverse("ratings:indicator_sets")).status_code == 404
    url = reverse("ratings:indicator_set_copy", args=[own_set.pk])
    assert client.post(url, {"year": "2030"}).status_code == 404


def test_the_template_is_edited_by_no_office(personas, _placeholder_set):
    client = personas.client("office")
    url = reverse("ratings:indicator_set_edit", args=[_placeholder_set.pk])
    assert client.get(url).status_code == 404
    copy_url = reverse("ratings:indicator_set_copy", args=[_placeholder_set.pk])
    assert client.post(copy_url, {"year": "2030"}).status_code == 404
    assert not IndicatorSet.objects.filter(year=2030).exists()


def test_another_committees_office_neither_sees_nor_edits_the_set(second_committee, own_set):
    client = second_committee.client("office_2")
    url = reverse("ratings:indicator_set_edit", args=[own_set.pk])
    assert client.get(url).status_code == 404
    data = _edit_data(
        second_committee.client("office"), url, title="别人的标题", first_text="被改掉的指标"
    )
    assert client.post(url, data).status_code == 404
    copy_url = reverse("ratings:indicator_set_copy", args=[own_set.pk])
    assert client.post(copy_url, {"year": "2031"}).status_code == 404
    own_set.refresh_from_db()
    assert own_set.title != "别人的标题"
    assert own_set.indicators.get(number=1).text == "每月开展理论学习"
    assert not IndicatorSet.objects.filter(year=2031).exists()
    # Its own list shows its own copy only.
    html = client.get(reverse("ratings:indicator_sets")).content.decode()
    assert reverse("ratings:indicator_set_edit", args=[own_set.pk]) not in html
    theirs = IndicatorSet.objects.get(committee=second_committee.tree["other_committee"])
    assert reverse("ratings:indicator_set_edit", args=[theirs.pk]) in html


def test_each_committees_self_assessment_uses_its_own_set(second_committee, own_set):
    client = second_committee.client("office")
    url = reverse("ratings:indicator_set_edit", args=[own_set.pk])
    data = _edit_data(client, url, title="一所指标", first_text="一所自己的第1项指标")
    assert client.post(url, data).status_code == 302
    kind = get_kind("star_self_assessment")
    ours = form_assignment(second_committee, "star_self_assessment")
    assert kind.indicator_set(ours) == own_set
    assert (
        "一所自己的第1项指标"
        in second_committee.client("secretary_a")
        .get(reverse("tasks:assignment_detail", args=[ours.pk]))
        .content.decode()
    )
    theirs = _other_committee_assignment(second_committee)
    their_set = kind.indicator_set(theirs)
    assert their_set.committee == second_committee.tree["other_committee"]
    assert their_set.indicators.get(number=1).text == "每月开展理论学习"
    page = second_committee.client("secretary_c").get(
        reverse("tasks:assignment_detail", args=[theirs.pk])
    )
    assert page.status_code == 200
    assert "一所自己的第1项指标" not in page.content.decode()


def _other_committee_assignment(p):
    item = published_item(p.tree["other_committee"], kind="star_self_assessment")
    return assignment_of(item, p.tree["other_branch"])
