"""Meeting records of a branch (三会一课 and the other kinds of organisational life).

Compliance checks are computed from these records, never typed in (DOMAIN.md §3). A record
holds its attendance per person, resolutions with their vote counts and follow-ups.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models.organisations import Organisation, Person
from portal.models import StoredFile
from portal.uploads import random_stored_name
from portal.validation import SaneDateField


class MeetingType(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("General meeting (党员大会)")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting (支委会)")
    GROUP_MEETING = "group_meeting", _("Party group meeting (党小组会)")
    PARTY_LESSON = "party_lesson", _("Party lesson (党课)")
    THEMED_DAY = "themed_day", _("Themed Party day (主题党日)")
    LIFE_MEETING = "life_meeting", _("Organisational-life meeting (组织生活会)")
    APPRAISAL = "appraisal", _("Member appraisal (民主评议党员)")
    TALK = "talk", _("Heart-to-heart talk (谈心谈话)")


class MeetingRecordQuerySet(models.QuerySet):
    def for_branch(self, branch) -> MeetingRecordQuerySet:
        return self.filter(branch=branch)

    def of_type(self, meeting_type: str) -> MeetingRecordQuerySet:
        return self.filter(meeting_type=meeting_type) if meeting_type else self

    def with_theme(self, word: str) -> MeetingRecordQuerySet:
        return self.filter(theme__icontains=word) if word else self

    def in_year(self, year: int) -> MeetingRecordQuerySet:
        return self.filter(date__year=year)


class MeetingRecord(models.Model):
    """One held meeting: who, when, where, what was discussed and decided."""

    branch = models.ForeignKey(
        Organisation, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="meetings"
    )
    meeting_type = models.CharField(_("type"), max_length=30, choices=MeetingType.choices)
    # One meeting may count for several types, e.g. a themed Party day held as a group meeting.
    also_counts_as = models.JSONField(_("also counts as"), default=list, blank=True)
    theme = models.CharField(_("theme"), max_length=200)
    date = SaneDateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    chair = models.CharField(_("chair"), max_length=60, blank=True)
    recorder = models.CharField(_("recorder"), max_length=60, blank=True)
    due_count = models.PositiveSmallIntegerField(_("due to attend"), default=0)
    present_count = models.PositiveSmallIntegerField(_("attended"), default=0)
    absentees = models.TextField(
        _("absentees and reasons"), blank=True, help_text=_("One per line: name — reason")
    )
    observers = models.TextField(_("observers"), blank=True)
    topics = models.TextField(_("topics"), blank=True)
    summary = models.TextField(_("key points and resolutions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting record")
        verbose_name_plural = _("meeting records")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["branch", "meeting_type", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_meeting_type_display()} · {self.theme}"

    @property
    def counted_types(self) -> set[str]:
        return {self.meeting_type, *(self.also_counts_as or [])}

    def also_counts_as_labels(self) -> list[str]:
        labels = dict(MeetingType.choices)
        return [str(labels.get(t, t)) for t in self.also_counts_as or []]


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    NOT_DUE = "not_due", _("Not due to attend")


class AbsenceReason(models.TextChoices):
    BUSINESS = "business", _("On business")
    ILLNESS = "illness", _("Illness")
    LEAVE = "leave", _("Personal leave")
    ABROAD = "abroad", _("Abroad")
    OTHER = "other", _("Other")
    NONE = "none", _("No reason given")


class MeetingAttendance(models.Model):
    """One person of the branch at one meeting: due or not, present or absent and why."""

    meeting = models.ForeignKey(
        MeetingRecord,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(
        _("attendance"),
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    # Full members vote; probationary members attend without a vote (党章 art. 7).
    voting = models.BooleanField(_("voting member"), default=True)
    absence_reason = models.CharField(
        _("absence reason"), max_length=10, choices=AbsenceReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="unique_attendance_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"


class VoteOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    REJECTED = "rejected", _("Not passed")
    NO_VOTE = "no_vote", _("No vote taken")


class Resolution(models.Model):
    """A motion put to the meeting and, when voted on, its counts and outcome."""

    meeting = models.ForeignKey(
        MeetingRecord,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="resolutions",
    )
    text = models.CharField(_("motion"), max_length=300)
    votes_for = models.PositiveSmallIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstain"), null=True, blank=True)
    # Opinions that absent voting members gave in writing before the meeting: they count in
    # the tally (not towards the quorum).
    written_for = models.PositiveSmallIntegerField(_("for in writing"), default=0)
    written_against = models.PositiveSmallIntegerField(_("against in writing"), default=0)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=VoteOutcome.choices, default=VoteOutcome.NO_VOTE
    )

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class FollowUp(models.Model):
    """Work the meeting decided: who does it and by when."""

    meeting = models.ForeignKey(
        MeetingRecord,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    task = models.CharField(_("follow-up"), max_length=300)
    owner = models.CharField(_("owner"), max_length=60)
    deadline = SaneDateField(_("deadline"))
    done_on = SaneDateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.task


def meeting_file_path(instance: MeetingFile, filename: str) -> str:
    # A random stored name; the user's name is kept for display only.
    return random_stored_name("meetings", filename)


class MeetingFile(StoredFile):
    """A photo, sign-in sheet or minutes attached to a meeting record."""

    meeting = models.ForeignKey(
        MeetingRecord, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=meeting_file_path)

    class Meta:
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")
        ordering = ["id"]


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    QUALIFIED = "qualified", _("Qualified (合格)")
    BASICALLY = "basically", _("Basically qualified (基本合格)")
    UNQUALIFIED = "unqualified", _("Unqualified (不合格)")


class AppraisalResult(models.Model):
    """One member's grade at a member appraisal (民主评议党员)."""

    meeting = models.ForeignKey(
        MeetingRecord,
        verbose_name=_("appraisal"),
        on_delete=models.CASCADE,
        related_name="appraisal_results",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.CASCADE, related_name="+"
    )
    grade = models.CharField(_("grade"), max_length=12, choices=AppraisalGrade.choices)

    class Meta:
        verbose_name = _("appraisal grade")
        verbose_name_plural = _("appraisal grades")
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="unique_grade_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_grade_display()}"
