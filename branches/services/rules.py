"""The default rules of branch life (frequencies, voting, development steps, relation flags,
the numbers of ``LifeRule``).

They are loaded by migrations 0004 and 0010; this reloads the missing ones (idempotent), e.g.
after a test database was flushed or for the demo.
"""

from __future__ import annotations

import importlib

from django.apps import apps


def ensure_default_rules() -> None:
    for name in ("0004_branch_life_rules", "0010_life_rules_data"):
        migration = importlib.import_module(f"branches.migrations.{name}")
        migration.load(apps, None)
