"""Attachment 1: 党支部相关整改问题及举措 (DOMAIN §6)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validation import SaneDateField
from surveys.models.base import AssignmentSheet, SheetRow


class RectificationList(AssignmentSheet):
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("rectification list")
        verbose_name_plural = _("rectification lists")


class RectificationItem(SheetRow):
    class Source(models.TextChoices):
        INSPECTION = "inspection", _("Inspection feedback")
        LIFE_MEETING = "life_meeting", _("Organisational-life meeting")
        SELF_CHECK = "self_check", _("Self-check")

    class Term(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate")
        DEADLINE = "deadline", _("By deadline")
        ONGOING = "ongoing", _("Ongoing")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done, awaiting close")
        CLOSED = "closed", _("Closed")
        OVERDUE = "overdue", _("Overdue")

    sheet = models.ForeignKey(RectificationList, on_delete=models.CASCADE, related_name="rows")
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.INSPECTION
    )
    category = models.CharField(_("category"), max_length=100, blank=True)
    problem = models.TextField(_("problem"), max_length=2000)
    goal = models.TextField(_("goal"), max_length=2000, blank=True)
    measures = models.TextField(_("measures"), max_length=4000)
    owner = models.CharField(_("owner"), max_length=100)
    committee_owner = models.CharField(
        _("responsible committee member"), max_length=100, blank=True
    )
    deadline = SaneDateField(_("deadline"))
    term = models.CharField(_("type"), max_length=20, choices=Term.choices, default=Term.DEADLINE)
    progress = models.TextField(_("progress"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    evidence = models.TextField(_("evidence"), max_length=2000, blank=True)
    meeting_date = SaneDateField(_("committee meeting date"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), max_length=2000, blank=True)

    class Meta(SheetRow.Meta):
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")

    def clean(self):
        if self.status == self.Status.CLOSED and not (self.evidence or "").strip():
            raise ValidationError({"evidence": _("A closed item needs its evidence.")})
