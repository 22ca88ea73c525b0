"""Party dues (DOMAIN.md §7): the rate schedule, each member's monthly base, the payments.

Months are stored as the first day of the month. Amounts are ``Decimal`` yuan with two places
(to the fen); every rounding is ROUND_HALF_UP (``dues.rules``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation, Person
from portal.validation import SaneDateField

#: A monthly base above this is a typing error (an annual figure, a missing decimal point).
MAX_BASE = Decimal("1000000")
#: The most months one payment may cover (a member abroad paying two years at once).
MAX_MONTHS = 24


def validate_first_of_month(value) -> None:
    if value is not None and value.day != 1:
        raise ValidationError(_("A month is stored as its first day."))


class DuesCategory(models.TextChoices):
    IN_SERVICE = "in_service", _("In service")
    RETIRED = "retired", _("Retired")
    STUDENT = "student", _("Student")
    NO_INCOME = "no_income", _("Without income")
    #: Exempted by the branch with the committee's approval: a proper reason not to pay.
    EXEMPT = "exempt", _("Exempted (approved)")


#: Categories whose dues are a percentage of a base (the others pay a fixed amount).
BASED_CATEGORIES = frozenset({DuesCategory.IN_SERVICE, DuesCategory.RETIRED})


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    ONLINE = "online", _("Online payment")
    PAYROLL = "payroll", _("Deducted from pay")
    OTHER = "other", _("Other")


class RateSchedule(models.Model):
    """The rules in force from ``valid_from`` until the next schedule's ``valid_from``."""

    valid_from = models.DateField(
        _("valid from"), unique=True, validators=[validate_first_of_month]
    )
    review_month = models.PositiveSmallIntegerField(
        _("month of the yearly base review"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("dues rate schedule")
        verbose_name_plural = _("dues rate schedules")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return str(_("Dues rates from %(date)s") % {"date": self.valid_from.isoformat()})


class RateBracket(models.Model):
    """Bases up to ``upper`` (inclusive; empty: no limit) pay ``rate`` per cent, or a fixed
    amount when ``fixed_amount`` is set. The lowest bracket that holds the base applies."""

    schedule = models.ForeignKey(RateSchedule, on_delete=models.CASCADE, related_name="brackets")
    category = models.CharField(_("category"), max_length=20, choices=DuesCategory.choices)
    upper = models.DecimalField(
        _("base up to (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    fixed_amount = models.DecimalField(
        _("fixed monthly amount (yuan)"), max_digits=8, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("dues rate bracket")
        verbose_name_plural = _("dues rate brackets")
        ordering = ["category", models.F("upper").asc(nulls_last=True)]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__isnull=False) | models.Q(fixed_amount__isnull=False),
                name="dues_bracket_rate_or_fixed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ≤ {self.upper or '∞'}"


class MonthlyBase(models.Model):
    """A member's dues category and monthly base from ``effective_from`` on, until his next
    record: the yearly review and a change in the year each add a record."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="dues_bases")
    effective_from = models.DateField(_("from month"), validators=[validate_first_of_month])
    category = models.CharField(
        _("category"), max_length=20, choices=DuesCategory.choices, default=DuesCategory.IN_SERVICE
    )
    amount = models.DecimalField(
        _("monthly base (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_BASE)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("monthly dues base")
        verbose_name_plural = _("monthly dues bases")
        ordering = ["person", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "effective_from"], name="dues_one_base_per_person_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.effective_from:%Y-%m}"


class PaymentQuerySet(models.QuerySet):
    def for_branch(self, branch: Organisation) -> PaymentQuerySet:
        return self.filter(person__branch=branch)


class Payment(models.Model):
    """Dues paid by one member for ``months`` consecutive months from ``first_month``:
    ``amount`` is the dues, ``extra`` what he paid on top of his own accord."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="dues_payments")
    branch = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="dues_payments")
    first_month = models.DateField(_("first month"), validators=[validate_first_of_month])
    months = models.PositiveSmallIntegerField(
        _("months"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)]
    )
    amount = models.DecimalField(
        _("dues paid (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    extra = models.DecimalField(
        _("voluntary extra (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    paid_on = SaneDateField(_("paid on"))
    method = models.CharField(
        _("how paid"), max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.TRANSFER
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.first_month:%Y-%m} ×{self.months}"


class PaymentMonth(models.Model):
    """The part of a payment that settles one month (allocated when it is recorded)."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(validators=[validate_first_of_month])
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["person", "month"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m} {self.amount}"
