"""The dues sit above branches and portal: they import those two of our apps only, and none of
our apps imports them (they plug into branches' hooks instead)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = {"portal", "branches", "tasks", "surveys", "ratings", "dues"}


def _imported_apps(folder: str) -> set[tuple[str, str]]:
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in OURS and top != folder:
                    found.add((str(path.relative_to(ROOT)), top))
    return found


def test_dues_import_only_branches_and_portal():
    assert {app for _path, app in _imported_apps("dues")} <= {"branches", "portal"}


def test_no_other_app_imports_the_dues():
    offenders = [
        path for folder in OURS - {"dues"} for path, app in _imported_apps(folder) if app == "dues"
    ]
    assert offenders == []
