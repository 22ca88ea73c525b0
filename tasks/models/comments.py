"""The conversation on one assignment between the branch and the office."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.models.assignments import Assignment

#: Longest comment accepted (as long as a review comment); the form and the service hold to it.
COMMENT_MAX_LENGTH = 4000


class CommentSide(models.TextChoices):
    BRANCH = "branch", _("Branch")
    OFFICE = "office", _("Party office")


class AssignmentComment(models.Model):
    """One message of the thread. The office's review comments (return, approve) are stored
    here too, so the thread holds the whole conversation."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Which side wrote it, fixed when written: a user's roles may change later.
    side = models.CharField(_("side"), max_length=10, choices=CommentSide.choices)
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    # The review step the comment came with ("returned", "approved"), empty for a plain one.
    step = models.CharField(_("review step"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["assignment", "created_at"], name="comment_thread_idx")]

    def __str__(self) -> str:
        return f"{self.assignment_id} · {self.side} · {self.created_at:%Y-%m-%d %H:%M}"
