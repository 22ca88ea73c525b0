"""Forms of the office's side of the attachment forms."""

from __future__ import annotations

from django import forms

from surveys.models import BrandPlan
from surveys.sheets.base import TEXTAREA


class CommitteeOpinionForm(forms.ModelForm):
    class Meta:
        model = BrandPlan
        fields = ["committee_opinion"]
        widgets = {"committee_opinion": TEXTAREA}
