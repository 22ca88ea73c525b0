"""Membership-relation cases (DOMAIN.md §5): lost contact, pocket, mobile, abroad, transfers.

The automatic flags are computed from the dates with a ``today`` argument (see
``branches.services.relations.case_flags``); their thresholds are rows of ``RelationRule``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models.organisations import Organisation, Person
from portal.validation import SaneDateField


class RelationKind(models.TextChoices):
    LOST_CONTACT = "lost_contact", _("Lost contact (失联)")
    POCKET = "pocket", _("Pocket member (口袋党员)")
    MOBILE = "mobile", _("Mobile member (流动党员)")
    ABROAD = "abroad", _("Abroad (出国境)")
    TRANSFER = "transfer", _("Relation transfer (组织关系转接)")


class Disposition(models.TextChoices):
    NONE = "", _("Not decided")
    RESTORED = "restored", _("Contact restored")
    DEADLINE = "deadline", _("Deadline to correct")
    STANDING_STOPPED = "standing_stopped", _("Party standing stopped")
    STANDING_RESTORED = "standing_restored", _("Party standing restored")
    STRUCK_OFF = "struck_off", _("Struck off")


#: The dates each disposition needs before it is accepted.
DISPOSITION_DATES: dict[str, tuple[str, ...]] = {
    Disposition.RESTORED: ("disposition_on",),
    Disposition.DEADLINE: ("disposition_on", "correction_deadline"),
    Disposition.STANDING_STOPPED: ("disposition_meeting_on", "disposition_approved_on"),
    Disposition.STANDING_RESTORED: ("disposition_meeting_on", "disposition_approved_on"),
    Disposition.STRUCK_OFF: ("disposition_meeting_on", "disposition_approved_on"),
}


class RelationRule(models.Model):
    """A threshold of the automatic flags, in months (editable data)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    label = models.CharField(_("label"), max_length=120)
    months = models.PositiveSmallIntegerField(_("months"))

    class Meta:
        verbose_name = _("relation flag rule")
        verbose_name_plural = _("relation flag rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.label}: {self.months}"


class RelationCaseQuerySet(models.QuerySet):
    def for_branches(self, branches) -> RelationCaseQuerySet:
        return self.filter(branch__in=branches)

    def open(self) -> RelationCaseQuerySet:
        return self.filter(closed_on__isnull=True)

    def of_kind(self, kind: str) -> RelationCaseQuerySet:
        return self.filter(kind=kind) if kind else self

    def search(self, text: str) -> RelationCaseQuerySet:
        return self.filter(person__name__icontains=text) if text else self


class RelationCase(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.CASCADE, related_name="relation_cases"
    )
    kind = models.CharField(_("type"), max_length=20, choices=RelationKind.choices)
    branch = models.ForeignKey(
        Organisation,
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="relation_cases",
    )
    opened_on = SaneDateField(_("opened on"))
    last_contact_on = SaneDateField(_("last contact"), null=True, blank=True)
    last_life_on = SaneDateField(_("last organisational life"), null=True, blank=True)
    dues_paid_until = SaneDateField(_("dues paid up to"), null=True, blank=True)
    letter_number = models.CharField(_("transfer letter number"), max_length=40, blank=True)
    letter_issued_on = SaneDateField(_("letter issued on"), null=True, blank=True)
    letter_valid_until = SaneDateField(_("letter valid until"), null=True, blank=True)
    destination = models.CharField(_("destination"), max_length=120, blank=True)
    receipt_on = SaneDateField(_("receipt back on"), null=True, blank=True)
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition.choices, blank=True
    )
    disposition_on = SaneDateField(_("decided on"), null=True, blank=True)
    correction_deadline = SaneDateField(_("deadline to correct"), null=True, blank=True)
    disposition_meeting_on = SaneDateField(_("general meeting on"), null=True, blank=True)
    disposition_approved_on = SaneDateField(_("approved on"), null=True, blank=True)
    standing_stopped_on = SaneDateField(_("standing stopped on"), null=True, blank=True)
    handler = models.CharField(_("handler"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    closed_on = SaneDateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RelationCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("relation case")
        verbose_name_plural = _("relation cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["branch", "kind", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"


class SearchAttempt(models.Model):
    """One try to reach the member: when, how, with what result."""

    case = models.ForeignKey(
        RelationCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="attempts"
    )
    date = SaneDateField(_("date"))
    method = models.CharField(_("method"), max_length=60)
    result = models.CharField(_("result"), max_length=200)
    reached = models.BooleanField(_("reached"), default=False)

    class Meta:
        verbose_name = _("search attempt")
        verbose_name_plural = _("search attempts")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.method}"
