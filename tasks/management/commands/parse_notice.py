"""Print the notice a .docx proposes, as JSON (the same parser as the upload page)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks.notice_docx import DocxRefused, parse_notice


class Command(BaseCommand):
    help = "Read a notice written in Word (.docx) and print the proposed draft as JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the .docx file")
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="the notice's date (YYYY-MM-DD)"
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror or error}") from None
        try:
            draft = parse_notice(data, path.name, notice_date=options["date"])
        except DocxRefused as refused:
            raise CommandError(f"{path.name}: {refused}") from None
        self.stdout.write(json.dumps(draft.as_dict(), ensure_ascii=False, indent=2))
