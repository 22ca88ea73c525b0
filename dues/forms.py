"""Forms of the dues pages: a payment, a base, an upload."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from branches.models import Person
from dues.models import MAX_BASE, MAX_MONTHS, DuesCategory, PaymentMethod
from dues.reports import ledger
from portal.validation import SaneDateFormField
from portal.widgets import DATE_INPUT

#: A browser month picker (<input type="month"> sends 2025-03); a full date is taken too.
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


def this_month():
    return timezone.localdate().replace(day=1)


class MonthField(SaneDateFormField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MONTH_INPUT)
        kwargs.setdefault("input_formats", MONTH_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def _money(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        **kwargs,
    )


class MemberField(forms.ModelChoiceField):
    """A member, named with this month's dues when they are known (``monthly``)."""

    monthly: dict[int, Decimal] = {}

    def label_from_instance(self, obj) -> str:
        if obj.pk in self.monthly:
            return gettext("%(name)s (%(amount)s yuan a month)") % {
                "name": obj.name,
                "amount": self.monthly[obj.pk],
            }
        return obj.name


class PaymentForm(forms.Form):
    person = MemberField(label=_("Member"), queryset=Person.objects.none())
    first_month = MonthField(label=_("First month paid for"), initial=this_month)
    months = forms.IntegerField(
        label=_("Number of months"), min_value=1, max_value=MAX_MONTHS, initial=1
    )
    amount = _money(_("Dues paid (yuan)"))
    extra = _money(_("Voluntary extra (yuan)"), required=False, initial=Decimal("0"))
    paid_on = SaneDateFormField(label=_("Paid on"), widget=DATE_INPUT, initial=timezone.localdate)
    method = forms.ChoiceField(
        label=_("How paid"), choices=PaymentMethod.choices, initial=PaymentMethod.TRANSFER
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, MemberField)
        people = Person.objects.filter(branch=branch).active().members().order_by("name")
        person.queryset = people
        # Each name with this month's dues, so the amount to take is at hand.
        monthly = {
            row.person.pk: row.monthly_due
            for row in ledger(people, timezone.localdate().year)
            if row.monthly_due is not None
        }
        person.monthly = monthly

    def clean_extra(self):
        return self.cleaned_data.get("extra") or Decimal("0")


class BaseForm(forms.Form):
    month = MonthField(label=_("From month"), initial=this_month)
    category = forms.ChoiceField(
        label=_("Dues category"), choices=DuesCategory.choices, initial=DuesCategory.IN_SERVICE
    )
    amount = _money(
        _("Monthly base (yuan)"),
        max_value=MAX_BASE,
        required=False,
        help_text=_("The fixed part of the monthly after-tax pay; empty for a fixed amount."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in dues bases (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
