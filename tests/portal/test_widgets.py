from django import forms

from portal.widgets import FastSelect


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
