"""What the dossiers app plugs into the lower apps once every app is loaded: its builder into
the shared export job, its panel into the branch page, its card into the liaison member's
home page. Imported only from ``DossiersConfig.ready``."""

from __future__ import annotations

from branches.home_cards import COMMITTEE, register_home_cards
from branches.panels import register_branch_panel
from dossiers.access import DOSSIER
from dossiers.services import DossierBuilder
from dossiers.views import dossier_panel, liaison_cards
from tasks.exports import register_export_builder


def connect() -> None:
    register_export_builder(DOSSIER, DossierBuilder())
    register_branch_panel(dossier_panel)
    register_home_cards(COMMITTEE, liaison_cards, order=90)
