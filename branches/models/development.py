"""Member development (发展党员, DOMAIN.md §4): the 25 steps as data, one case per person.

Each step row names the check that guards it (``rule``), its parameters (``params``, e.g.
``{"months": 12, "after": "activist"}``) and whether a failed check warns or blocks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models.organisations import Organisation, Person
from portal.uploads import random_stored_name
from portal.validation import SaneDateField


class Stage(models.IntegerChoices):
    APPLICANT = 1, _("Applicant")
    ACTIVIST = 2, _("Activist")
    CANDIDATE = 3, _("Development candidate")
    PROBATIONARY = 4, _("Probationary member")
    FULL = 5, _("Full member")


class Severity(models.TextChoices):
    WARN = "warn", _("Warning")
    BLOCK = "block", _("Block")


class StepCheck(models.TextChoices):
    NONE = "", _("No check")
    MIN_AGE = "min_age", _("Minimum age")
    WITHIN = "within", _("Within a time after another step")
    AT_LEAST = "at_least", _("At least a time after another step")
    INTRODUCERS = "introducers", _("Introducers")
    REVIEW = "review", _("Written conclusion")
    TRAINING = "training", _("Training length")
    WORKING_DAYS = "working_days", _("Working days of the public notice")
    APPROVAL_WINDOW = "approval_window", _("Approval window")
    CONTACTS = "contacts", _("Number of cultivation contacts")
    NOT_LEAVING = "not_leaving", _("Not leaving soon")
    MEETING_VOTE = "meeting_vote", _("Vote of the general meeting")


class StepEffect(models.TextChoices):
    NONE = "", _("None")
    PROBATIONARY = "probationary", _("Becomes a probationary member")
    FULL = "full", _("Becomes a full member")


class DevelopmentStep(models.Model):
    """One of the 25 steps of the procedure, with the check that guards it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    # Not named "check": that would hide Model.check() of Django's system checks.
    rule = models.CharField(
        _("check"), max_length=20, choices=StepCheck.choices, blank=True, default=StepCheck.NONE
    )
    severity = models.CharField(
        _("when the check fails"), max_length=10, choices=Severity.choices, default=Severity.WARN
    )
    params = models.JSONField(_("check parameters"), default=dict, blank=True)
    effect = models.CharField(
        _("effect on membership"), max_length=20, choices=StepEffect.choices, blank=True
    )
    # How long after the previous step this one is normally due (for the "due this month" list).
    due_after_days = models.PositiveIntegerField(
        _("normally due after (days)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped")


class DevelopmentCaseQuerySet(models.QuerySet):
    def for_branches(self, branches) -> DevelopmentCaseQuerySet:
        return self.filter(branch__in=branches)

    def open(self) -> DevelopmentCaseQuerySet:
        return self.filter(status=CaseStatus.OPEN)

    def with_related(self) -> DevelopmentCaseQuerySet:
        return self.select_related("person", "branch", "last_step").prefetch_related("steps__step")


class DevelopmentCase(models.Model):
    """One person's way from application to full membership."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="development_case"
    )
    branch = models.ForeignKey(
        Organisation,
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="development_cases",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    last_step = models.ForeignKey(
        DevelopmentStep,
        verbose_name=_("last step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_step_on = SaneDateField(_("last step on"), null=True, blank=True)
    # The probation may be extended once, by 6 to 12 months (DOMAIN.md §4).
    probation_extension_months = models.PositiveSmallIntegerField(
        _("probation extended by (months)"), null=True, blank=True
    )
    probation_extended_on = SaneDateField(_("probation extended on"), null=True, blank=True)
    stopped_on = SaneDateField(_("stopped on"), null=True, blank=True)
    # Someone leaving the institute within a few months is normally not admitted (DOMAIN.md §4).
    expected_leave_on = SaneDateField(_("expected to leave on"), null=True, blank=True)
    stop_reason = models.TextField(_("reason for stopping"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DevelopmentCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("development case")
        verbose_name_plural = _("development cases")
        ordering = ["branch", "person__name"]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def stage(self) -> int:
        return self.last_step.stage if self.last_step else Stage.APPLICANT

    def get_stage_display(self) -> str:
        return str(Stage(self.stage).label)


def case_document_path(instance: CaseStep, filename: str) -> str:
    return random_stored_name("development", filename)


class CaseStep(models.Model):
    """A step taken: when, by whom, with which document; the warnings it was saved with."""

    case = models.ForeignKey(
        DevelopmentCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    step = models.ForeignKey(
        DevelopmentStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    date = SaneDateField(_("date"))
    end_date = SaneDateField(_("until"), null=True, blank=True)
    actor = models.CharField(_("done by"), max_length=120, blank=True)
    note = models.TextField(_("note or conclusion"), blank=True)
    people = models.ManyToManyField(
        Person, verbose_name=_("introducers or contacts"), blank=True, related_name="+"
    )
    training_days = models.PositiveSmallIntegerField(_("training days"), null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField(_("training hours"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to=case_document_path, blank=True)
    document_name = models.CharField(_("document name"), max_length=200, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # The general meeting's vote on this candidate, taken from its meeting record.
    resolution = models.ForeignKey(
        "branches.Resolution",
        verbose_name=_("resolution of the meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("step taken")
        verbose_name_plural = _("steps taken")
        ordering = ["step__order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "step"], name="unique_step_per_case")
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.step}"


class DisciplineKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    SERIOUS_WARNING = "serious_warning", _("Serious warning")
    PROBATION = "probation", _("Probation within the Party")


class PartyDiscipline(models.Model):
    """A disciplinary measure; someone on probation within the Party cannot introduce."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="disciplines"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DisciplineKind.choices)
    start = SaneDateField(_("from"))
    end = SaneDateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("disciplinary measure")
        verbose_name_plural = _("disciplinary measures")

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"


class ReportSnapshot(models.Model):
    """What a branch reported at one moment (pipeline or relation cases), kept as it was.

    ``reference`` names who asked for it (e.g. ``assignment:12``) without branches knowing
    the app that did.
    """

    branch = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=20)
    reference = models.CharField(_("reference"), max_length=60)
    taken_on = SaneDateField(_("taken on"))
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        constraints = [
            models.UniqueConstraint(fields=["subject", "reference"], name="unique_snapshot")
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.subject} · {self.taken_on}"
