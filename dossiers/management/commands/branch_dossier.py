"""``python manage.py branch_dossier BRANCH_ID YEAR --output FILE.docx``: the branch's yearly
dossier, the same document the portal builds (a ``.pdf`` output is converted by LibreOffice)."""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError

from branches.models import Organisation
from dossiers import build
from dossiers.audit_actions import ACTION_DOSSIER_BUILT
from portal.audit import log_action


class Command(BaseCommand):
    help = "Write the yearly dossier (台账) of a Party branch as Word (.docx) or PDF."

    def add_arguments(self, parser):
        parser.add_argument("branch_id", type=int)
        parser.add_argument("year", type=int)
        parser.add_argument("--output", required=True, help="FILE.docx (or FILE.pdf)")

    def handle(self, *args, branch_id: int, year: int, output: str, **options):
        branch = Organisation.objects.filter(pk=branch_id).first()
        if branch is None or not branch.is_branch:
            raise CommandError(f"No Party branch has the id {branch_id}.")
        if not 1921 <= year <= 9999:
            raise CommandError(f"{year} is not a year.")
        extension = os.path.splitext(output)[1].lower().lstrip(".")
        if extension not in (build.DOCX, build.PDF):
            raise CommandError("The output must end in .docx or .pdf.")
        if extension == build.PDF and not build.pdf_available():
            raise CommandError("PDF needs LibreOffice (soffice), which is not installed.")
        try:
            with open(output, "wb") as handle:
                build.build(branch, year, extension, handle)
        except build.ConversionFailed as exc:
            os.remove(output)
            raise CommandError(str(exc)) from exc
        log_action(
            branch,
            ACTION_DOSSIER_BUILT,
            user=None,
            data={"year": year, "format": extension, "via": "command"},
        )
        self.stdout.write(f"{output}: {os.path.getsize(output)} bytes")
