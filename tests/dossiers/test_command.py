"""``manage.py branch_dossier BRANCH_ID YEAR --output FILE.docx`` writes the same document."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from dossiers import build
from dossiers.audit_actions import ACTION_DOSSIER_BUILT
from portal.models import AuditEntry
from tests.builders.tasks import make_meeting
from tests.clock import WORKDAY_MORNING

pytestmark = [pytest.mark.django_db, pytest.mark.clock(at=WORKDAY_MORNING)]


def test_the_command_writes_the_dossier(personas, tmp_path):
    branch = personas.tree["branch_a"]
    make_meeting(branch, date=date(2022, 7, 1), theme="七一主题党日")
    output = tmp_path / "台账.docx"
    out = io.StringIO()
    call_command("branch_dossier", str(branch.pk), "2022", "--output", str(output), stdout=out)
    document = Document(str(output))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == build.headings()
    assert "七一主题党日" in "\n".join(p.text for p in document.paragraphs)
    assert AuditEntry.objects.filter(action=ACTION_DOSSIER_BUILT, data__via="command").exists()


def test_the_command_refuses_what_is_not_a_branch(personas, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "branch_dossier",
            str(personas.tree["committee"].pk),
            "2022",
            "--output",
            str(tmp_path / "x.docx"),
        )
    with pytest.raises(CommandError):
        call_command(
            "branch_dossier", str(personas.tree["branch_a"].pk), "2022", "--output", "x.txt"
        )
