"""The zh_Hans catalogue is complete, compiled, and covers every string marked in the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_compiled_catalogue_matches_the_po_file():
    compiled = polib.mofile(str(PO.with_suffix(".mo")))
    source = polib.pofile(str(PO))
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in source.translated_entries()}
    in_mo = {(e.msgctxt, e.msgid): e.msgstr for e in compiled if e.msgid}
    assert in_mo == translated, "run `make messages` to recompile the catalogue"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_every_marked_string_is_in_the_catalogue(tmp_path):
    """Re-extract the strings into a scratch copy and compare: nothing may be missing."""
    scratch = tmp_path / "project"
    shutil.copytree(
        ROOT,
        scratch,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--ignore=tests",
            "--ignore=.venv",
            "--ignore=var",
        ],
        cwd=scratch,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(scratch / PO.relative_to(ROOT)))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO))}
    missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed]
    assert not missing, f"strings not in the catalogue (run `make messages`): {missing[:20]}"
