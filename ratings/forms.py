"""Forms of the rating round: open a round, a member's rating, the committee's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.validation import SaneDateFormField
from portal.widgets import DATE_INPUT
from ratings.models import MAX_STAR, MIN_STAR, Dimension

STARS = [(n, str(n)) for n in range(MIN_STAR, MAX_STAR + 1)]
SCORES = [("", "—")] + [(n, str(n)) for n in range(1, 6)]


class OpenRoundForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=None, label=_("Party committee"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    self_assessment_due = SaneDateFormField(
        label=_("Self-assessments due"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: 20 November of the year."),
    )
    decision_due = SaneDateFormField(
        label=_("Decision due"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Empty: 20 December of the year."),
    )

    def __init__(self, *args, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        if len(committees) == 1:
            self.fields["committee"].initial = committees[0]


def star_field(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("The star must be between 2 and 5.")},
    )


class RatingForm(forms.Form):
    """Per dimension a score (1–5) or an opinion, then the recommended star and a comment."""

    def __init__(self, *args, rating=None, **kwargs):
        super().__init__(*args, **kwargs)
        saved = rating.dimensions if rating else {}
        for value, label in Dimension.choices:
            entry = saved.get(value) or {}
            self.fields[f"score_{value}"] = forms.TypedChoiceField(
                label=_("%(dimension)s: score") % {"dimension": label},
                choices=SCORES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=entry.get("score"),
            )
            self.fields[f"opinion_{value}"] = forms.CharField(
                label=_("%(dimension)s: opinion") % {"dimension": label},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=entry.get("opinion", ""),
            )
        self.fields["star"] = star_field(_("Recommended star"))
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        if rating is not None:
            self.fields["star"].initial = rating.star
            self.fields["comment"].initial = rating.comment

    def dimensions(self) -> dict:
        data = self.cleaned_data
        return {
            value: {
                "score": data.get(f"score_{value}"),
                "opinion": data.get(f"opinion_{value}", ""),
            }
            for value in Dimension.values
        }


class DecisionForm(forms.Form):
    star = forms.TypedChoiceField(
        label=_("Committee's star"),
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("The star must be between 2 and 5.")},
    )
    rationale = forms.CharField(
        label=_("Rationale"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GoalForm(forms.Form):
    """The committee's goal: every in-service branch at least ``star`` stars by ``year``."""

    star = forms.TypedChoiceField(
        label=_("At least (stars)"),
        choices=STARS,
        coerce=int,
        error_messages={"invalid_choice": _("The star must be between 2 and 5.")},
    )
    year = forms.IntegerField(label=_("By the end of (year)"), min_value=2000, max_value=2100)
