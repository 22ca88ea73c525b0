"""Files built in the background: one ``Export`` row per job, with progress and expiry.

The notice workbook (``tasks.workbook``) was the first such file; other reports (the branch's
yearly dossier of the ``dossiers`` app) register a *builder* for their ``Export.kind`` here,
so every background file shares one job (``tasks.build_export``), one progress bar, one
expiring download link and one sweep (``fail_stranded_exports``).

A builder says how to write the file of a running row (``write(export, handle, report)``),
what the download is called, which object the audit entry names and which action it logs.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from portal.audit import log_action
from tasks.models import Export, ExportStatus

logger = logging.getLogger(__name__)

#: How long a built file can be downloaded.
EXPORT_TTL = timedelta(hours=24)
#: A running row older than this is taken for a dead worker's and no longer blocks new exports.
STALE_AFTER = timedelta(hours=1)

#: ``Export.error`` of a file whose job never started, and of one whose worker died.
NOT_STARTED = "not started"
STALE = "stale"


class ExportBuilder(Protocol):
    """What a kind of background file offers to the shared job."""

    #: The audit action logged on ``audit_object(export)`` once the file is built.
    built_action: str

    def write(self, export: Export, handle, report: Callable[[int], None]) -> None: ...

    def filename(self, export: Export) -> str: ...

    def extension(self, export: Export) -> str: ...

    def audit_object(self, export: Export) -> Model | None: ...


_builders: dict[str, ExportBuilder] = {}


def register_export_builder(kind: str, builder: ExportBuilder) -> ExportBuilder:
    """Register the builder of ``Export.kind == kind`` (from an app's ready)."""
    _builders[kind] = builder
    return builder


def builder_for(kind: str) -> ExportBuilder:
    try:
        return _builders[kind]
    except KeyError:
        raise LookupError(f"No export builder registered for {kind!r}") from None


def fail_stranded_exports(exports=None, *, now=None) -> int:
    """Mark failed the running exports nobody is building, so no progress bar waits forever.

    Not started (progress 0) ``EXPORT_START_TIMEOUT`` after the request: the job was lost or
    the workers are down. Still running after ``STALE_AFTER``: the worker died mid-build. The
    user sees the failure and can ask again; a late job then finds the row failed and skips.
    """
    now = now or timezone.now()
    running = (Export.objects.all() if exports is None else exports).running()
    not_started = running.filter(
        progress=0, created_at__lt=now - settings.EXPORT_START_TIMEOUT
    ).update(status=ExportStatus.FAILED, error=NOT_STARTED, finished_at=now)
    stale = running.filter(created_at__lt=now - STALE_AFTER).update(
        status=ExportStatus.FAILED, error=STALE, finished_at=now
    )
    if not_started or stale:
        logger.warning("marked failed: %s exports never started, %s stale", not_started, stale)
    return not_started + stale


def run_export(export_id: int) -> str:
    """Build the file of a running export row; safe to call again on a finished row."""
    export = (
        Export.objects.select_related("notice__committee", "organisation")
        .filter(pk=export_id)
        .first()
    )
    if export is None or export.status != ExportStatus.RUNNING:
        return "skipped"
    # Started: from now on the not-started sweep leaves this row alone.
    Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING, progress=0).update(progress=1)
    folder = os.path.join(settings.MEDIA_ROOT, "exports")
    os.makedirs(folder, exist_ok=True)

    def report(percent: int) -> None:
        Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
            progress=min(max(percent, 0), 99)
        )

    partial = ""
    try:
        builder = builder_for(export.kind)
        name = f"exports/{uuid.uuid4().hex}.{builder.extension(export)}"
        path = os.path.join(settings.MEDIA_ROOT, name)
        partial = path + ".part"
        with open(partial, "wb") as handle:
            builder.write(export, handle, report)
        os.replace(partial, path)
    except Exception as exc:
        logger.exception("export %s failed", export_id)
        if partial and os.path.exists(partial):
            os.remove(partial)
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        return "failed"
    now = timezone.now()
    Export.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE,
        progress=100,
        file=name,
        filename=builder.filename(export),
        finished_at=now,
        expires_at=now + EXPORT_TTL,
    )
    data: dict[str, Any] = {"export": export_id, "size": os.path.getsize(path)}
    log_action(
        builder.audit_object(export), builder.built_action, user=export.requested_by, data=data
    )
    return "done"


def delete_expired_exports(now=None) -> int:
    """Delete the files whose link has expired; the rows stay as the record of who asked for
    what. Also removes half-written files of jobs that died mid-write."""
    now = now or timezone.now()
    expired = list(Export.objects.filter(expires_at__lte=now).exclude(file=""))
    for export in expired:
        export.file.delete(save=False)
    Export.objects.filter(pk__in=[export.pk for export in expired]).update(file="")
    deleted = len(expired)
    folder = os.path.join(settings.MEDIA_ROOT, "exports")
    cutoff = (now - STALE_AFTER).timestamp()
    if os.path.isdir(folder):
        for entry in os.scandir(folder):
            if entry.name.endswith(".part") and entry.stat().st_mtime < cutoff:
                os.remove(entry.path)
    if deleted:
        logger.info("deleted %s expired export files", deleted)
    return deleted
