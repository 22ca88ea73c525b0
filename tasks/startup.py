"""What the tasks app plugs into the other apps once every app is loaded.

The lower apps must not import tasks, so tasks registers itself with them: it listens for new
or re-activated branches, adds its panels to the branch page and its figures to the region
page, registers the workbook's exporters and its demo step. Imported only from
``TasksConfig.ready``: these modules import models, which exist only once the apps are loaded.
"""

from __future__ import annotations

from django.db.models.signals import post_save

import tasks.workbook  # noqa: F401  (registers the workbook's exporters)
from branches.home_cards import COMMITTEE, OFFICE, register_home_cards
from branches.models import Organisation
from branches.panels import register_branch_panel
from branches.views.home import REGION_ROLLUPS
from portal.demo import register_demo_step
from portal.regional_data import register_regional_step
from tasks.demo import seed_notice
from tasks.home_cards import committee_cards, office_cards
from tasks.kinds import load_builtin_kinds
from tasks.panels import todo_panel
from tasks.regional_data import build_regional_notices
from tasks.rollup import region_rollup
from tasks.signals import organisation_saved, rating_round_saved
from tasks.views.dashboard import branch_assignments_panel, branch_meetings_panel


def connect() -> None:
    register_regional_step("a year of notices and their assignments", build_regional_notices)
    load_builtin_kinds()
    post_save.connect(organisation_saved, sender=Organisation, dispatch_uid="tasks.sync")
    # By name: the ratings app builds on tasks, so tasks does not import its models.
    post_save.connect(
        rating_round_saved, sender="ratings.RatingRound", dispatch_uid="tasks.rating_deadlines"
    )
    register_branch_panel(todo_panel)
    register_home_cards(OFFICE, office_cards, order=10)
    register_home_cards(COMMITTEE, committee_cards, order=10)
    register_branch_panel(branch_assignments_panel)
    register_branch_panel(branch_meetings_panel)
    if region_rollup not in REGION_ROLLUPS:
        REGION_ROLLUPS.append(region_rollup)
    register_demo_step("work notice 2022 No. 3 and its assignments", seed_notice)
