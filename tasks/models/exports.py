"""Files built in the background: one row per job, with progress and expiry.

The notice workbook is one kind (``WORKBOOK``); other apps register builders for kinds of
their own in ``tasks.exports`` and name their subject with ``organisation`` and ``year``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from tasks.models.notices import Notice

#: ``Export.kind`` of the notice workbook.
WORKBOOK = "tasks.workbook"


class ExportStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def export_file_path(instance: Export, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}.xlsx"


class ExportQuerySet(models.QuerySet):
    def running(self) -> ExportQuerySet:
        return self.filter(status=ExportStatus.RUNNING)


class Export(models.Model):
    """A file built by a Celery job (a notice's workbook, a branch's yearly dossier …); the file
    is served until it expires.

    At most one running export per notice, and per kind, organisation, year and format (database
    constraints): a second request while one runs joins the running job instead of starting
    another.
    """

    kind = models.CharField(_("kind"), max_length=40, default=WORKBOOK)
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("notice"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="exports",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    file_format = models.CharField(_("format"), max_length=8, default="xlsx")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.RUNNING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to=export_file_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("workbook export")
        verbose_name_plural = _("workbook exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice"],
                condition=Q(status="running"),
                name="one_running_export_per_notice",
            ),
            models.UniqueConstraint(
                fields=["kind", "organisation", "year", "file_format"],
                condition=Q(status="running", organisation__isnull=False),
                name="one_running_export_per_subject",
            ),
        ]

    def __str__(self) -> str:
        subject = self.notice or f"{self.organisation} {self.year or ''}".strip()
        return f"{subject} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status == ExportStatus.RUNNING

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.DONE and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and timezone.now() >= self.expires_at
