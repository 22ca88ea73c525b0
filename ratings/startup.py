"""What the ratings app plugs into the other apps' registries once every app is loaded: the star
self-assessment kind, home cards, the notice workbook's sheet and the demo steps.

Imported only from ``RatingsConfig.ready``: these modules import models, which exist only once
the apps are loaded.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

import ratings.workbook  # noqa: F401  (registers the notice workbook's sheet)
from branches.home_cards import COMMITTEE, OFFICE, register_home_cards
from portal.demo import register_demo_step
from portal.regional_data import register_regional_step
from ratings.demo import seed_rating_rounds, seed_self_assessments
from ratings.home_cards import committee_cards, office_cards
from ratings.regional_data import build_regional_ratings, build_regional_self_assessments
from ratings.self_assessment import StarSelfAssessmentKind
from tasks.audit_actions import sheet_imported
from tasks.history import register_action_labels
from tasks.kinds import register


def connect() -> None:
    register_regional_step("last year's published rating rounds", build_regional_ratings)
    register_regional_step(
        "attachment 4 (star self-assessment) of the workbook's notice",
        build_regional_self_assessments,
    )
    kind = register(StarSelfAssessmentKind())
    register_action_labels({sheet_imported(kind.audit_name): _("Form imported from Excel")})
    register_home_cards(OFFICE, office_cards, order=30)
    register_home_cards(COMMITTEE, committee_cards, order=30)
    register_demo_step("star self-assessments of notice 2022 No. 3", seed_self_assessments)
    register_demo_step("star rating rounds 2021 and 2022", seed_rating_rounds)
