"""Audit action names are written once, as constants of each app's ``audit_actions`` module."""

from __future__ import annotations

import ast
from pathlib import Path

from portal.audit_actions import ACTION_EXPORT_DOWNLOADED, RENAMED

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "branches", "tasks", "surveys", "ratings", "dues")
#: Modules whose calls still pass the name as text (to be converted).
NOT_YET_CONVERTED: set[str] = set()


def _is_text(expression) -> bool:
    """A name written as text: a string, an f-string, or a choice between such."""
    if isinstance(expression, ast.IfExp):
        return _is_text(expression.body) or _is_text(expression.orelse)
    return isinstance(expression, ast.JoinedStr) or (
        isinstance(expression, ast.Constant) and isinstance(expression.value, str)
    )


def _literal_actions():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in NOT_YET_CONVERTED:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                is_call = isinstance(node, ast.Call) and (
                    getattr(node.func, "id", None) == "log_action"
                    or getattr(node.func, "attr", None) == "log_action"
                )
                if is_call and len(node.args) > 1:
                    if _is_text(node.args[1]):
                        yield f"{relative}:{node.lineno}"


def test_every_log_action_call_names_its_action_by_a_constant():
    assert list(_literal_actions()) == []


def test_the_export_download_has_one_name_and_the_old_one_maps_to_it():
    assert RENAMED["tasks.export.downloaded"] == ACTION_EXPORT_DOWNLOADED == "export.downloaded"
