import pytest
from django import forms
from django.contrib.auth import get_user_model

from branches.models import Organisation
from portal.widgets import FastSelect, PlainChoices


class Choice(forms.Form):
    pick = forms.ChoiceField(
        choices=[("", "---"), ("1", "甲<b>党支部</b>"), ("2", "乙")], widget=FastSelect
    )


def test_renders_like_a_select_with_the_value_selected_and_labels_escaped():
    html = str(Choice(data={"pick": "2"})["pick"])
    assert html.startswith("<select ") and html.endswith("</select>")
    assert 'name="pick"' in html
    assert '<option value="2" selected>乙</option>' in html
    assert '<option value="1">甲&lt;b&gt;党支部&lt;/b&gt;</option>' in html
    assert 'id="id_pick"' in html


def test_only_the_empty_choice_is_selected_without_a_value():
    html = str(Choice()["pick"])
    assert html.count(" selected") == 1 and '<option value="" selected>' in html


@pytest.mark.django_db
def test_a_model_choice_of_organisations_reads_pairs_in_one_query(
    personas, django_assert_num_queries
):

    class Pick(forms.Form):
        branch = forms.ModelChoiceField(
            queryset=Organisation.objects.branches().order_by("path"), widget=FastSelect
        )

    branch = personas.tree["branch_a"]
    branch.short_name = "甲支部"
    branch.save(update_fields=["short_name"])
    with django_assert_num_queries(1):
        html = str(Pick(initial={"branch": branch.pk})["branch"])
    assert f'<option value="{branch.pk}" selected>甲支部</option>' in html
    assert html.count("<option") == Organisation.objects.branches().count() + 1
    other = Organisation.objects.branches().exclude(pk=branch.pk).first()
    assert f'<option value="{other.pk}">{other.name}</option>' in html


def test_plain_choices_are_taken_as_given_and_still_checked():
    class Pick(forms.Form):
        branch = forms.TypedChoiceField(coerce=int, choices=(), widget=FastSelect)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["branch"].choices = PlainChoices([("", "---"), (7, "甲"), (8, "乙&丙")])

    form = Pick(data={"branch": "8"})
    assert form.is_valid() and form.cleaned_data["branch"] == 8
    assert '<option value="8" selected>乙&amp;丙</option>' in str(form["branch"])
    assert not Pick(data={"branch": "9"}).is_valid()


@pytest.mark.django_db
def test_a_model_choice_without_labels_reads_its_rows_in_one_plain_query(
    personas, django_assert_num_queries
):
    class Pick(forms.Form):
        user = forms.ModelChoiceField(
            queryset=get_user_model().objects.order_by("pk"), widget=FastSelect
        )

    with django_assert_num_queries(1) as captured:
        html = str(Pick()["user"])
    # A plain SELECT, not a server-side cursor (DECLARE, FETCH, CLOSE: three round trips).
    assert captured.captured_queries[0]["sql"].startswith("SELECT")
    assert html.count("<option") == get_user_model().objects.count() + 1
