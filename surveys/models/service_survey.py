"""Attachment 2: 我为群众办实事调研情况表, with the follow-up of each concern (DOMAIN §6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validation import SaneDateField
from surveys.models.base import AssignmentSheet, SheetRow


class ServiceSurvey(AssignmentSheet):
    notes = models.TextField(_("notes"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("service-request survey")
        verbose_name_plural = _("service-request surveys")


class ConcernQuerySet(models.QuerySet):
    def needing_institute(self):
        return self.filter(solver=Concern.Solver.INSTITUTE)

    def sent_in(self):
        """Of surveys the branch has handed in at least once (drafts stay private)."""
        return self.filter(sheet__assignment__first_submitted_at__isnull=False)


class Concern(SheetRow):
    class Method(models.TextChoices):
        FORUM = "forum", _("Forum")
        VISIT = "visit", _("Visit")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        TALK = "talk", _("Talk")

    class Category(models.TextChoices):
        RESEARCH = "research", _("Research conditions")
        CAREER = "career", _("Career")
        LIFE = "life", _("Daily life")
        ADMIN = "admin", _("Management services")
        OTHER = "other", _("Other")

    class Solver(models.TextChoices):
        BRANCH = "branch", _("Branch can solve")
        INSTITUTE = "institute", _("Needs the institute")

    class Handling(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        DEADLINE = "deadline", _("Within a set time")
        STAGES = "stages", _("In stages")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASIC = "basic", _("Basically satisfied")
        UNSATISFIED = "unsatisfied", _("Not satisfied")

    sheet = models.ForeignKey(ServiceSurvey, on_delete=models.CASCADE, related_name="rows")
    date = SaneDateField(_("survey date"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    people = models.CharField(_("people consulted"), max_length=200, blank=True)
    concern = models.TextField(_("concern"), max_length=2000)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    suggestion = models.TextField(_("suggested solution"), max_length=2000, blank=True)
    solver = models.CharField(
        _("solved by"), max_length=20, choices=Solver.choices, default=Solver.BRANCH
    )
    sent_on = SaneDateField(_("date sent to the office"), null=True, blank=True)
    # the branch's follow-up
    handling = models.CharField(_("handling"), max_length=20, choices=Handling.choices, blank=True)
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    deadline = SaneDateField(_("deadline"), null=True, blank=True)
    progress = models.TextField(_("progress"), max_length=2000, blank=True)
    result = models.TextField(_("result"), max_length=2000, blank=True)
    told_on = SaneDateField(_("date people were told"), null=True, blank=True)
    told_channel = models.CharField(_("channel people were told"), max_length=100, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    closed_on = SaneDateField(_("closed on"), null=True, blank=True)
    # the office's answer to a concern that needs the institute
    office_department = models.CharField(_("department in charge"), max_length=100, blank=True)
    office_result = models.TextField(_("office result"), max_length=2000, blank=True)
    office_told_on = SaneDateField(_("date people were told (office)"), null=True, blank=True)
    office_told_channel = models.CharField(
        _("channel people were told (office)"), max_length=100, blank=True
    )
    office_recorded_at = models.DateTimeField(_("office recorded at"), null=True, blank=True)
    office_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("office recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ConcernQuerySet.as_manager()

    class Meta(SheetRow.Meta):
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")

    @property
    def has_office_answer(self) -> bool:
        return self.office_recorded_at is not None
