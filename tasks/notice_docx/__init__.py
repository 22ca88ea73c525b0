"""Reading a notice drafted in Word (.docx) into a proposed notice.

``parse_notice(data, filename)`` returns a :class:`Draft` (header, areas with sub-areas and
items, attachments) or raises :class:`DocxRefused` with a message for the office. Nothing is
saved: the caller shows the draft and saves what the office confirms.
"""

from __future__ import annotations

import datetime

from tasks.notice_docx.reading import DocxRefused, read_paragraphs
from tasks.notice_docx.structure import Area, Draft, Item, build_draft

__all__ = ["Area", "DocxRefused", "Draft", "Item", "parse_notice"]


def parse_notice(
    data: bytes, filename: str | None = None, *, notice_date: datetime.date | None = None
) -> Draft:
    """The draft read from ``data``. Deadlines count from ``notice_date``, else the date the
    document gives (header or signature), else today."""
    return build_draft(read_paragraphs(data, filename), notice_date)
