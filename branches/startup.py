"""What the branches app plugs into the portal's registries once every app is loaded.

Imported only from ``BranchesConfig.ready``: these modules import models, which exist only once
the apps are loaded.
"""

from __future__ import annotations

import branches.exporters  # noqa: F401  (registers the branch-life exporters)
from branches.demo import seed_organisations
from branches.demo_life import seed_branch_life
from branches.home_cards import BRANCH, OFFICE, register_home_cards
from branches.panels import register_branch_panel
from branches.regional_data import build_regional_branches
from branches.views.compliance import compliance_panel
from branches.views.home_cards import branch_cards, office_cards
from portal.demo import register_demo_step
from portal.regional_data import register_regional_step


def connect() -> None:
    register_regional_step(
        "region, committees, branches, people, logins and meetings", build_regional_branches
    )
    register_demo_step("organisations, people and logins", seed_organisations)
    register_demo_step("meeting records, development and relation cases", seed_branch_life)
    register_branch_panel(compliance_panel)
    register_home_cards(OFFICE, office_cards, order=40)
    register_home_cards(BRANCH, branch_cards)
