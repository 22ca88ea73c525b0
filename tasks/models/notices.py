"""Work notices (工作提示): the notice, its numbered areas and the task items inside them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from portal.models import StoredFile
from portal.uploads import random_stored_name
from portal.validation import SaneDateField

#: Deadlines are calendar days of the committee, which sits in Shanghai whatever the server says.
DEADLINE_TZ = ZoneInfo("Asia/Shanghai")


def local_today(now: datetime | None = None) -> date:
    """Today's date in Shanghai (deadlines are compared with this, not with the server's day)."""
    return timezone.localtime(now or timezone.now(), DEADLINE_TZ).date()


def end_of_day(day: date) -> datetime:
    """The aware instant at which a deadline day has passed: midnight after it, in Shanghai."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=DEADLINE_TZ)


def task_file_path(instance: TaskItemFile, filename: str) -> str:
    # A random stored name: the user's file name is kept only for display and download.
    return random_stored_name("tasks/items", filename)


#: Chinese numerals for the notice's own numbering (一、二、… and （一）（二）…).
DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五; outside 1–99 (never in a real
    notice) the plain figure."""
    if not 0 < number < 100:
        return str(number)
    if number < 10:
        return DIGITS[number]
    tens, units = divmod(number, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return head + "十" + (DIGITS[units] if units else "")


def source_file_path(instance: Notice, filename: str) -> str:
    return random_stored_name("tasks/notice-sources", filename)


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class NoticeQuerySet(models.QuerySet):
    def published(self) -> NoticeQuerySet:
        return self.filter(status=NoticeStatus.PUBLISHED)

    def for_committees(self, committees) -> NoticeQuerySet:
        return self.filter(committee__in=committees)


class Notice(models.Model):
    """One issue of the committee's work notice, e.g. 2022 第3期 of 2022-10-18."""

    committee = models.ForeignKey(
        Organisation,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="notices",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    issue_number = models.PositiveSmallIntegerField(_("issue number"))
    date = SaneDateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The Word document the draft was read from, kept as uploaded (served to the office only).
    source_file = models.FileField(_("source document"), upload_to=source_file_path, blank=True)
    source_name = models.CharField(_("source document name"), max_length=200, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("work notice")
        verbose_name_plural = _("work notices")
        ordering = ["-year", "-issue_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "issue_number"], name="unique_notice_issue"
            )
        ]

    def __str__(self) -> str:
        return _("%(year)s issue %(number)s: %(title)s") % {
            "year": self.year,
            "number": self.issue_number,
            "title": self.title,
        }

    @property
    def is_published(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED


class TaskAreaQuerySet(models.QuerySet):
    def top_level(self) -> TaskAreaQuerySet:
        return self.filter(parent__isnull=True)


class TaskArea(models.Model):
    """A numbered section of a notice (一、二、…), or a sub-section of one ((一)(二)…).

    Items always belong to a top-level area (lists, dashboards and exports group by it); an
    item inside a sub-section also names it in ``TaskItem.subarea``.
    """

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="areas"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subareas",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    heading = models.CharField(
        _("numbering"),
        max_length=20,
        blank=True,
        help_text=_("As printed, e.g. 五、; empty: 一、 for areas, （一） inside one."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("The section's text as issued."))

    objects = TaskAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("task area")
        verbose_name_plural = _("task areas")
        ordering = ["notice", "parent_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "number"],
                condition=models.Q(parent__isnull=True),
                name="unique_area_number",
            ),
            models.UniqueConstraint(
                fields=["parent", "number"],
                condition=models.Q(parent__isnull=False),
                name="unique_subarea_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numbering}{self.title}"

    @property
    def numbering(self) -> str:
        """The heading's number as the notice prints it: typed, else 一、 or （一）."""
        if self.heading:
            return self.heading
        if self.parent_id:
            return f"（{chinese_number(self.number)}）"
        return f"{chinese_number(self.number)}、"


class TargetScope(models.TextChoices):
    IN_SERVICE = "in_service", _("All in-service branches")
    ALL = "all", _("All branches")
    CHOSEN = "chosen", _("Chosen branches")


class DeadlineRule(models.TextChoices):
    FIXED = "fixed", _("Fixed date")
    NONE = "none", _("No fixed deadline (as things arise)")
    BEFORE_RATING = "before_rating", _("Before the annual rating")


class TaskItemQuerySet(models.QuerySet):
    def live(self) -> TaskItemQuerySet:
        """Items of published notices that were not withdrawn."""
        return self.filter(area__notice__status=NoticeStatus.PUBLISHED, withdrawn_at__isnull=True)


class TaskItem(models.Model):
    """One deliverable every targeted branch owes by a deadline."""

    area = models.ForeignKey(
        TaskArea, verbose_name=_("area"), on_delete=models.CASCADE, related_name="items"
    )
    label = models.CharField(
        _("label"), max_length=10, blank=True, help_text=_("For example 5a; empty: the area number")
    )
    subarea = models.ForeignKey(
        TaskArea,
        verbose_name=_("sub-area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subarea_items",
    )
    title = models.CharField(_("title"), max_length=200)
    deadline_rule = models.CharField(
        _("deadline rule"), max_length=20, choices=DeadlineRule.choices, default=DeadlineRule.FIXED
    )
    # Empty for "no fixed deadline", and for "before the annual rating" until the year's rating
    # round gives the date (tasks.publishing.resolve_rating_deadlines keeps it in step).
    deadline = SaneDateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The task is due by the end of this day (Beijing time)."),
    )
    scope = models.CharField(
        _("target branches"),
        max_length=20,
        choices=TargetScope.choices,
        default=TargetScope.IN_SERVICE,
    )
    chosen_branches = models.ManyToManyField(
        Organisation, verbose_name=_("chosen branches"), blank=True, related_name="+"
    )
    kind = models.CharField(_("deliverable kind"), max_length=40)
    required_meeting_type = models.CharField(_("required meeting type"), max_length=30, blank=True)
    required_theme = models.CharField(
        _("required theme"),
        max_length=100,
        blank=True,
        help_text=_("A word the linked meeting's theme must contain, e.g. 科学家精神."),
    )
    instructions = models.TextField(_("instructions"), blank=True)
    report_required = models.BooleanField(
        _("written report required"),
        default=False,
        help_text=_("The branch also writes a report (e.g. 学习研讨情况), not only links records."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = TaskItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("task item")
        verbose_name_plural = _("task items")
        ordering = ["area__number", "label", "id"]

    def __str__(self) -> str:
        return f"{self.display_label} {self.title}"

    @property
    def display_label(self) -> str:
        return self.label or str(self.area.number)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def due_at(self) -> datetime | None:
        return end_of_day(self.deadline) if self.deadline else None

    @property
    def deadline_text(self) -> str:
        return describe_deadline(self.deadline_rule, self.deadline)


def describe_deadline(rule: str, day: date | None) -> str:
    """What every page says about a deadline: the date, 无固定期限, or 年度考核前 (and its date)."""
    if rule == DeadlineRule.NONE and day is None:
        return str(_("No fixed deadline"))
    if rule == DeadlineRule.BEFORE_RATING:
        if day is None:
            return str(_("Before the annual rating"))
        return str(_("Before the annual rating (%(date)s)") % {"date": day.isoformat()})
    return day.isoformat() if day else str(_("No fixed deadline"))


def attachment_file_path(instance: NoticeAttachment, filename: str) -> str:
    return random_stored_name("tasks/notices", filename)


class NoticeAttachment(models.Model):
    """附件N of a notice: an uploaded reference document, or a form the portal generates.

    A form attachment names the deliverable kind whose blank template the branches download
    from their assignment (the template is built by the portal, never uploaded).
    """

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="attachments"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    item = models.ForeignKey(
        "TaskItem",
        verbose_name=_("task item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    form_kind = models.CharField(_("form"), max_length=40, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_file_path, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")
        ordering = ["notice", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "number"], name="unique_notice_attachment_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label}《{self.title}》"

    @property
    def label(self) -> str:
        return _("Attachment %(number)s") % {"number": self.number}

    @property
    def is_form(self) -> bool:
        return bool(self.form_kind)


class TaskItemFile(StoredFile):
    """A blank template or reference document the office attaches to an item."""

    item = models.ForeignKey(
        TaskItem, verbose_name=_("task item"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=task_file_path)

    class Meta:
        verbose_name = _("task item file")
        verbose_name_plural = _("task item files")
        ordering = ["id"]
