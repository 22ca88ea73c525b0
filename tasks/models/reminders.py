"""Deadline reminders: the policy (data the office can edit) and one row per planned reminder.

Reminders are rows, not timers: planning writes them ahead, a due pass claims them with a
conditional UPDATE and a worker sends them. A crash, a redelivery or a second beat therefore
never sends twice and never loses one (DESIGN §5.4).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validation import SaneDateField
from tasks.models.assignments import Assignment


def default_days_before() -> list[int]:
    return [7, 3, 1, 0]


class ReminderPolicy(models.Model):
    """When reminders go out. One default row is created by the migration."""

    name = models.CharField(_("name"), max_length=100, default="default")
    is_default = models.BooleanField(_("default policy"), default=True)
    # Whole days before the (extended) deadline day; 0 is the deadline day itself.
    days_before = models.JSONField(_("days before the deadline"), default=default_days_before)
    overdue_interval_days = models.PositiveSmallIntegerField(
        _("days between overdue reminders"), default=2
    )
    overdue_max_count = models.PositiveSmallIntegerField(_("overdue reminders at most"), default=3)
    send_hour = models.PositiveSmallIntegerField(_("hour of sending"), default=9)
    quiet_start_hour = models.PositiveSmallIntegerField(_("quiet hours start"), default=21)
    quiet_end_hour = models.PositiveSmallIntegerField(_("quiet hours end"), default=8)

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        ordering = ["-is_default", "id"]

    def __str__(self) -> str:
        return self.name


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    OVERDUE = "overdue", _("Overdue")
    URGE = "urge", _("Urged by the office")
    LIAISON_DIGEST = "liaison", _("Daily digest for the liaison member")
    OFFICE_DIGEST = "office", _("Daily digest for the party office")
    BRANCH_LIFE = "branch_life", _("Branch life reminder")
    CHANGE = "change", _("Change to someone's work")


#: Kinds that belong to one person and one day rather than to one assignment.
DIGEST_KINDS = (ReminderKind.LIAISON_DIGEST, ReminderKind.OFFICE_DIGEST)
#: Kinds whose title, body and link are stored with the row, written when it was planned.
MESSAGE_KINDS = (ReminderKind.BRANCH_LIFE, ReminderKind.CHANGE)
#: Kinds that belong to one person, keyed by what they are about (see ``Reminder.slot``).
PERSON_KINDS = (*DIGEST_KINDS, *MESSAGE_KINDS)


class ReminderStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN, FAILED = "open", "failed"  # values of Reminder.phase


class ReminderQuerySet(models.QuerySet):
    """Reads that go through the phase indexes (filtering on status alone would not)."""

    def open(self) -> ReminderQuerySet:
        return self.filter(phase=OPEN)

    def failed(self) -> ReminderQuerySet:
        return self.filter(phase=FAILED)


class Reminder(models.Model):
    """One reminder of one assignment, planned for one deadline, or one person's daily digest.

    ``slot`` names the deadline it was planned for and the offset ("2022-10-28:7"), so a
    reminder already sent for the old deadline stays as history when an extension plans the
    same offset again for the new one. An urge's slot is "urge:<day>", a digest's is its day:
    the unique keys then let each go out at most once per day. A branch-life reminder (a
    relation flag, a development step due) belongs to its recipient; its slot is the key the
    planner chose ("relation:12:no_contact:2026-11"), and its title, body and link are stored
    with it, so the same key planned again never makes a second row. A change message (a
    submission returned, a notice published, a new comment...) is the same kind of row; its
    slot is "<change kind>:<what changed>" ("returned:12:v4"), one per event and person.
    """

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="reminders",
        null=True,
        blank=True,
        # The unique key (assignment, kind, slot) leads with the assignment and serves its
        # lookups: a second index would only cost the claim another write per row.
        db_index=False,
    )
    # Set on digests and branch-life reminders: they belong to their recipient.
    person = models.ForeignKey(
        "branches.Person",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,  # indexed below, only where set
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    slot = models.CharField(_("slot"), max_length=100)
    deadline = SaneDateField(_("deadline"))
    offset = models.SmallIntegerField(_("days before the deadline"))
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PLANNED
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The lease of the worker sending the row: taken and renewed with conditional UPDATEs, so
    # a second message for the same row sends nothing while it runs. Never indexed (a claim
    # stays a rewrite in place) and never written by the claim.
    leased_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    lease_token = models.UUIDField(_("lease holder"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # "open" while planned or queued, "failed", else "closed": what the indexes key on.
    phase = models.GeneratedField(
        expression=models.Case(
            models.When(
                status__in=[ReminderStatus.PLANNED, ReminderStatus.QUEUED], then=models.Value(OPEN)
            ),
            models.When(status=ReminderStatus.FAILED, then=models.Value(FAILED)),
            default=models.Value("closed"),
        ),
        output_field=models.CharField(max_length=6),
        db_persist=True,
    )
    # Branch-life and change messages only: what the recipient is told, fixed when planned.
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.CharField(_("message"), max_length=500, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind", "slot"], name="unique_reminder_slot"
            ),
            # NULL assignments never collide above, so per-person rows need their own key.
            models.UniqueConstraint(
                fields=["person", "kind", "slot"],
                condition=models.Q(assignment__isnull=True),
                name="unique_digest_per_day",
            ),
        ]
        # Claiming a row (planned → queued, claimed_at set) changes no indexed column: the
        # indexes below key on ``phase``, which stays "open", never on status or claimed_at. So
        # PostgreSQL updates the row in place (a HOT update, given the free space that the
        # table's fillfactor leaves on each page) and writes no index entry at all; a pass over
        # 100,000 due rows is measured by tests/perf/reminders_bench.py.
        indexes = [
            # The due pass (planned rows by time) and the sweep for rows claimed but never sent
            # (claimed rows were due before their claim).
            models.Index(
                fields=["due_at"], condition=models.Q(phase=OPEN), name="reminder_due_idx"
            ),
            # The office's page of failed sends.
            models.Index(
                fields=["due_at"], condition=models.Q(phase=FAILED), name="reminder_failed_idx"
            ),
            models.Index(
                fields=["person"],
                condition=models.Q(person__isnull=False),
                name="reminder_person_idx",
            ),
        ]

    def __str__(self) -> str:
        owner = self.assignment_id if self.assignment_id else f"p{self.person_id}"
        return f"{owner} · {self.kind} · {self.slot}"

    @property
    def is_digest(self) -> bool:
        return self.kind in DIGEST_KINDS

    @property
    def is_branch_life(self) -> bool:
        return self.kind == ReminderKind.BRANCH_LIFE

    @property
    def is_message(self) -> bool:
        """A row with its own stored words: a branch-life reminder or a change message."""
        return self.kind in MESSAGE_KINDS

    @property
    def change_kind(self) -> str:
        """The kind of change a change message tells of (the first part of its slot)."""
        return self.slot.split(":", 1)[0] if self.kind == ReminderKind.CHANGE else ""


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Portal notification")


class DeliveryStatus(models.TextChoices):
    # Committed before the SMTP call: a row still "sending" after a crash may or may not have
    # reached the mail server.
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class ReminderDelivery(models.Model):
    """Who got a reminder, how and when; a retry skips whoever already has a sent row.

    An email is recorded "sending" (committed) before the SMTP call and "sent" after it."""

    # No index of its own: the unique (reminder, person, channel) key begins with it.
    reminder = models.ForeignKey(
        Reminder,
        verbose_name=_("reminder"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
    )
    person = models.ForeignKey(
        "branches.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices)
    address = models.CharField(_("address"), max_length=254, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The attempt that last set the row to "sending" (one per run of the send job).
    attempt_id = models.UUIDField(_("attempt"), null=True, blank=True)
    # Set when the email was sent again after an attempt that crashed between the SMTP call
    # and recording it: the recipient may have it twice (with the same Message-ID).
    possibly_duplicated = models.BooleanField(_("possibly sent twice"), default=False)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "person", "channel"], name="unique_reminder_delivery"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reminder_id} · {self.person_id} · {self.channel}"
