"""The default rules of branch life (frequencies, voting, development steps, relation flags).

They are loaded by migration 0004; this reloads the missing ones (idempotent), e.g. after a
test database was flushed or for the demo.
"""

from __future__ import annotations

import importlib

from django.apps import apps


def ensure_default_rules() -> None:
    migration = importlib.import_module("branches.migrations.0004_branch_life_rules")
    migration.load(apps, None)
