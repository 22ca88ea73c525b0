"""Per-branch assignments of a task item, their files and the office's reminders (催办).

"Overdue" and "late" are derived here from the deadline, the extension and the timestamps;
they are never stored, so there is no second truth to drift.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import MeetingRecord, Organisation
from portal.models import StoredFile
from portal.uploads import random_stored_name
from portal.validation import SaneDateField
from tasks.models.notices import (
    DEADLINE_TZ,
    NoticeStatus,
    TaskItem,
    end_of_day,
    local_today,
)


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


#: States in which the branch still owes work.
OPEN_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.DRAFT, AssignmentStatus.RETURNED)


def _due_before(day: date) -> Q:
    """The effective deadline (extension, else the item's deadline) lies before ``day``."""
    return Q(extended_until__isnull=False, extended_until__lt=day) | Q(
        extended_until__isnull=True, item__deadline__lt=day
    )


class AssignmentQuerySet(models.QuerySet):
    def for_branch(self, branch: Organisation | int) -> AssignmentQuerySet:
        return self.filter(branch=branch)

    def live(self) -> AssignmentQuerySet:
        """Of published notices, items not withdrawn: what branches and reviewers see."""
        return self.filter(
            item__area__notice__status=NoticeStatus.PUBLISHED, item__withdrawn_at__isnull=True
        )

    def open(self) -> AssignmentQuerySet:
        return self.live().filter(status__in=OPEN_STATUSES)

    def submitted(self) -> AssignmentQuerySet:
        return self.filter(status=AssignmentStatus.SUBMITTED)

    def overdue(self, today: date | None = None) -> AssignmentQuerySet:
        """Still owed after its (extended) deadline day has ended in Shanghai."""
        return self.filter(status__in=OPEN_STATUSES).filter(_due_before(today or local_today()))

    def due_within(self, days: int, today: date | None = None) -> AssignmentQuerySet:
        """Still owed, its (extended) deadline between today and ``days`` days from today."""
        today = today or local_today()
        window = (today, today + timedelta(days=days))
        return self.filter(status__in=OPEN_STATUSES).filter(
            Q(extended_until__range=window)
            | Q(extended_until__isnull=True, item__deadline__range=window)
        )

    def state_by_notice(self, today: date | None = None):
        """One row per notice: ``notice`` (its id), ``total``, ``approved``, ``submitted``,
        ``returned`` and ``overdue`` assignments, in one query whatever the number of branches."""
        overdue = Q(status__in=OPEN_STATUSES) & _due_before(today or local_today())
        return (
            self.values(notice=F("item__area__notice"))
            .annotate(
                total=Count("id"),
                approved=Count("id", filter=Q(status=AssignmentStatus.APPROVED)),
                submitted=Count("id", filter=Q(status=AssignmentStatus.SUBMITTED)),
                returned=Count("id", filter=Q(status=AssignmentStatus.RETURNED)),
                overdue=Count("id", filter=overdue),
            )
            .order_by("notice")
        )

    def late(self) -> AssignmentQuerySet:
        """First handed in after the (extended) deadline day."""
        return self.with_flags().filter(is_late_db=True)

    def with_flags(self, today: date | None = None) -> AssignmentQuerySet:
        """Annotate effective_due, is_overdue_db and is_late_db for lists and filters."""
        today = today or local_today()
        return self.annotate(
            effective_due=Coalesce("extended_until", "item__deadline"),
            first_submitted_day=TruncDate("first_submitted_at", tzinfo=DEADLINE_TZ),
        ).annotate(
            is_overdue_db=Case(
                When(Q(status__in=OPEN_STATUSES, effective_due__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_late_db=Case(
                When(first_submitted_day__gt=F("effective_due"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )

    def returned_first(self) -> AssignmentQuerySet:
        """Work the office sent back heads the to-do list, then the rest by deadline."""
        return self.order_by(
            Case(When(status=AssignmentStatus.RETURNED, then=Value(0)), default=Value(1)),
            Coalesce("extended_until", "item__deadline"),
            "item__area__number",
        )

    def by_deadline(self) -> AssignmentQuerySet:
        # Items without a fixed deadline come after every dated one.
        due = Coalesce("extended_until", "item__deadline")
        return self.order_by(due.asc(nulls_last=True), "item__area__number", "pk")

    def with_related(self) -> AssignmentQuerySet:
        return self.select_related("item__area__notice", "branch")


class Assignment(models.Model):
    """What one branch owes for one task item, and where its submission stands."""

    item = models.ForeignKey(
        TaskItem, verbose_name=_("task item"), on_delete=models.CASCADE, related_name="assignments"
    )
    branch = models.ForeignKey(
        Organisation,
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.PENDING,
        db_index=True,
    )
    extended_until = SaneDateField(_("extended until"), null=True, blank=True)
    report_text = models.TextField(_("report"), blank=True)
    meetings = models.ManyToManyField(
        MeetingRecord, verbose_name=_("meeting records"), blank=True, related_name="assignments"
    )
    review_comment = models.TextField(_("office's comment"), blank=True)
    # Bumped on every write: an edit form posting an older number is a conflict.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = [F("item__deadline").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "branch"], name="unique_assignment_per_branch")
        ]
        indexes = [
            models.Index(fields=["branch", "status"]),
            # The review list counts the rows of a status per item within the office's branches
            # from this index alone (no table page read once vacuumed), and a page of one status
            # reads the rows of its few items through it.
            models.Index(fields=["status", "item", "branch"], name="assignment_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.branch}"

    @property
    def due_date(self) -> date | None:
        """The extension, else the item's deadline; None when the item has no fixed one."""
        return self.extended_until or self.item.deadline

    @property
    def due_at(self) -> datetime | None:
        due = self.due_date
        return end_of_day(due) if due else None

    @property
    def deadline_text(self) -> str:
        if self.extended_until:
            return self.extended_until.isoformat()
        return self.item.deadline_text

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        due_at = self.due_at
        return due_at is not None and self.is_open and timezone.now() >= due_at

    @property
    def is_late(self) -> bool:
        due_at = self.due_at
        return (
            due_at is not None
            and self.first_submitted_at is not None
            and self.first_submitted_at >= due_at
        )

    @property
    def days_left(self) -> int | None:
        """Whole days until the deadline day (0 = due today, negative = overdue); None without
        a fixed deadline."""
        due = self.due_date
        return None if due is None else (due - local_today()).days

    @property
    def days_overdue(self) -> int:
        days_left = self.days_left
        return 0 if days_left is None else max(0, -days_left)


def assignment_file_path(instance: AssignmentFile, filename: str) -> str:
    return random_stored_name("tasks/assignments", filename)


class AssignmentFile(StoredFile):
    """A file a branch attaches to its submission (stored outside static, served after a check)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=assignment_file_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("submitted file")
        verbose_name_plural = _("submitted files")
        ordering = ["id"]


class UrgeRecord(models.Model):
    """The office pressed 催办 for an assignment; the reminder job delivers it later."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="urges"
    )
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("urged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    urged_at = models.DateTimeField(_("urged at"), default=timezone.now)
    # The Shanghai day of the press: the database enforces "once per branch and item per day".
    urged_on = SaneDateField(_("urged on"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder (催办)")
        verbose_name_plural = _("reminders (催办)")
        ordering = ["-urged_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "urged_on"], name="one_urge_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.urged_on}"
