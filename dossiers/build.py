"""Writing the dossier: Word with python-docx, PDF converted from it by LibreOffice.

The document is the portal's official language whatever the requester reads the portal in
(it is filed and printed), so it is written under ``settings.LANGUAGE_CODE``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from branches.models import Organisation
from dossiers import data as dossier_data
from dossiers.document import DossierDocument
from dossiers.sections import cover, numbered, sections

DOCX = "docx"
PDF = "pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
#: A conversion that takes longer than this is taken for a hung LibreOffice.
CONVERT_TIMEOUT_SECONDS = 180


class ConversionFailed(RuntimeError):
    pass


def soffice_path() -> str | None:
    """LibreOffice's command, when the server has it (PDF is offered only then)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return soffice_path() is not None


def headings() -> list[str]:
    return [numbered(index, section.title) for index, section in enumerate(sections())]


def build_docx(
    branch: Organisation,
    year: int,
    target,
    *,
    report: Callable[[int], None] | None = None,
    today: date | None = None,
) -> None:
    """Write the Word dossier of ``branch`` for ``year`` to ``target`` (a path or a file)."""
    with translation.override(settings.LANGUAGE_CODE):
        loaded = dossier_data.load(branch, year, today)
        parts = sections()
        titles = headings()
        doc = DossierDocument()
        cover.write(doc, loaded, titles)
        for index, (section, heading) in enumerate(zip(parts, titles, strict=True)):
            section.write(doc, loaded, heading)
            if report is not None:
                report(int(80 * (index + 1) / len(parts)))
        doc.save(target)


def convert_to_pdf(docx_path: str, outdir: str) -> str:
    """Convert with ``soffice --headless --convert-to pdf``; the path of the PDF written.

    Each conversion has a LibreOffice profile of its own, so two conversions at once (two
    workers) do not wait on each other's profile lock.
    """
    command = soffice_path()
    if command is None:
        raise ConversionFailed(_("LibreOffice is not installed on the server."))
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [
                command,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                outdir,
                docx_path,
            ],
            capture_output=True,
            timeout=CONVERT_TIMEOUT_SECONDS,
            check=False,
        )
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(docx_path))[0] + ".pdf")
    if result.returncode != 0 or not os.path.exists(pdf):
        error = result.stderr.decode(errors="replace")[:200]
        raise ConversionFailed(f"soffice exited with {result.returncode}: {error}")
    return pdf


def build(
    branch: Organisation,
    year: int,
    file_format: str,
    handle,
    *,
    report: Callable[[int], None] | None = None,
    today: date | None = None,
) -> None:
    """Write the dossier in ``file_format`` (docx or pdf) to the open binary ``handle``."""
    if file_format == DOCX:
        build_docx(branch, year, handle, report=report, today=today)
        return
    with tempfile.TemporaryDirectory(prefix="dossier-") as folder:
        docx_path = os.path.join(folder, "dossier.docx")
        build_docx(branch, year, docx_path, report=report, today=today)
        pdf = convert_to_pdf(docx_path, folder)
        with open(pdf, "rb") as source:
            shutil.copyfileobj(source, handle)


def filename(branch: Organisation, year: int, file_format: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Party branch work dossier %(year)s") % {"year": year}
    return f"{branch.name}_{title}.{file_format}".replace("/", "_").replace(" ", "_")
