"""Asking for a dossier: one Export row built in the background by the shared export job."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from branches.models import Organisation
from dossiers import build
from dossiers.access import DOSSIER
from dossiers.audit_actions import ACTION_DOSSIER_BUILT, ACTION_DOSSIER_REQUESTED
from portal import outbox
from portal.audit import log_action
from portal.errors import Refused
from tasks.exports import fail_stranded_exports
from tasks.models import Export

FORMATS = (build.DOCX, build.PDF)


class DossierRefused(Refused):
    pass


def request_dossier(branch: Organisation, year: int, file_format: str, user) -> tuple[Export, bool]:
    """The running build of this dossier, or a new one queued; ``(export, created)``.

    Callers check access first (``dossiers.access``). The job goes through the outbox in this
    transaction, so the request never waits for the broker.
    """
    if file_format not in FORMATS:
        raise DossierRefused(_("Unknown format."))
    if file_format == build.PDF and not build.pdf_available():
        raise DossierRefused(_("PDF is not available on this server; download the Word file."))
    subject = Export.objects.filter(
        kind=DOSSIER, organisation=branch, year=year, file_format=file_format
    )
    fail_stranded_exports(subject)
    running = subject.running().first()
    if running is not None:
        return running, False
    try:
        with transaction.atomic():
            export = Export.objects.create(
                kind=DOSSIER,
                organisation=branch,
                year=year,
                file_format=file_format,
                requested_by=user,
            )
            log_action(
                branch,
                ACTION_DOSSIER_REQUESTED,
                user=user,
                data={"export": export.pk, "year": year, "format": file_format},
            )
            outbox.enqueue("tasks.build_export", export.pk)
    except IntegrityError:
        # Another request queued the same dossier between our look and our insert: join it.
        return subject.running().get(), False
    return export, True


class DossierBuilder:
    """The dossier as a kind of background file of ``tasks.exports``."""

    built_action = ACTION_DOSSIER_BUILT

    def write(self, export: Export, handle, report: Callable[[int], None]) -> None:
        assert export.organisation is not None and export.year is not None
        build.build(export.organisation, export.year, export.file_format, handle, report=report)

    def filename(self, export: Export) -> str:
        assert export.organisation is not None and export.year is not None
        return build.filename(export.organisation, export.year, export.file_format)

    def extension(self, export: Export) -> str:
        return export.file_format

    def audit_object(self, export: Export) -> Organisation | None:
        return export.organisation
