"""What the dues app plugs into the other apps' registries once every app is loaded: its
exporters, the dues' answer to the 自行脱党 rule, the branch page's link, the member's profile
panel and the demo step.

Imported only from ``DuesConfig.ready``: these modules import models, which exist only once
the apps are loaded.
"""

from __future__ import annotations

import dues.exporters  # noqa: F401  (registers the dues exporters)
from branches.panels import register_branch_panel, register_profile_panel
from branches.services.self_departure import register_dues_status, register_lapsed_dues
from dues.demo import seed_dues
from dues.standing import dues_statuses, lapsed_members
from dues.views import branch_panel, profile_panel
from portal.demo import register_demo_step


def connect() -> None:
    register_dues_status(dues_statuses)
    register_lapsed_dues(lapsed_members)
    register_branch_panel(branch_panel)
    register_profile_panel(profile_panel)
    register_demo_step("a year of Party dues", seed_dues)
