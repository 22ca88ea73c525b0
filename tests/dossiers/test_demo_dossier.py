"""The demo branch's dossier: every section with the demo's records, and its PDF from
LibreOffice with every heading's text and no missing glyph."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pdfplumber
import pytest
from django.core.management import call_command
from docx import Document

from branches.models import DevelopmentCase, MeetingRecord, MeetingType, Person, RelationCase
from dossiers import build
from dues.reports import member_year_rows
from ratings.models import StarDecision
from tasks.models import Notice
from tests.clock import WORKDAY_MORNING
from tests.services import need

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.clock(at=WORKDAY_MORNING)]

#: What LibreOffice writes for a character no font has (a .notdef box comes out as U+FFFD).
MISSING_GLYPHS = ("\ufffd", "\x00")


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_demo_branch_dossier_has_every_section_with_the_demo_records(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    branch = Person.objects.get(user__username="secretary1").branch
    target = tmp_path / "dossier.docx"
    build.build_docx(branch, 2022, str(target))

    document = Document(str(target))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    expected = build.headings()
    assert len(expected) == 10
    assert headings[1:] == expected  # after the contents
    text = _text(document)
    assert branch.name in text and "2022年度党支部工作台账" in text
    # The demo's records, one of each part.
    assert all(p.name in text for p in Person.objects.filter(branch=branch).active().members())
    meetings = MeetingRecord.objects.filter(branch=branch, date__year=2022)
    assert all(m.theme in text for m in meetings)
    assert meetings.filter(meeting_type=MeetingType.LIFE_MEETING).exists()
    assert "通过支部班子对照检查材料和整改清单" in text  # a resolution and its vote
    assert "优秀" in text and "合格" in text  # appraisal grades
    case = DevelopmentCase.objects.get(branch=branch)
    assert case.person.name in text and case.last_step.name in text
    for relation in RelationCase.objects.filter(branch=branch):
        assert relation.person.name in text
    notice = Notice.objects.get(year=2022, issue_number=3)
    assert notice.title in text
    decision = StarDecision.objects.published().get(round__year=2022, branch=branch)
    assert f"{decision.star}星" in text
    # Fonts named for Chinese: the East Asian attribute on the styles.
    rfonts = document.styles["Heading 1"].element.rPr.rFonts
    assert (
        rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "黑体"
    )
    # The demo's dues are kept for the last twelve months: the year of today has them.
    this_year = WORKDAY_MORNING.year
    current = tmp_path / "current.docx"
    build.build_docx(branch, this_year, str(current))
    current_text = _text(Document(str(current)))
    rows = member_year_rows(branch, this_year, WORKDAY_MORNING.date())
    assert rows and any(row.paid for row in rows)
    paid = next(row for row in rows if row.paid)
    assert paid.person.name in current_text and f"{paid.paid:.2f}" in current_text
    footer = document.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)

    need("LibreOffice", build.pdf_available(), "soffice is not installed")
    pdf = build.convert_to_pdf(str(target), str(tmp_path))
    with pdfplumber.open(pdf) as opened:
        pages = [page.extract_text() or "" for page in opened.pages]
        fonts = {
            char["fontname"]
            for page in opened.pages
            for char in page.chars
            if ord(char["text"][0]) > 0x2E80
        }
    pdf_text = "\n".join(pages)
    squeezed = pdf_text.replace(" ", "").replace("\n", "")
    for heading in expected:
        assert heading.replace(" ", "") in squeezed, heading
    assert not any(mark in pdf_text for mark in MISSING_GLYPHS)
    assert fonts and all("CJK" in name for name in fonts), fonts  # Chinese set in a CJK font
    assert "— 2 —" in pdf_text or "—2—" in squeezed  # page numbers in the footer
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", pdf], capture_output=True, text=True).stdout
        assert "CJK" in listing
    assert os.path.getsize(pdf) > 10_000
