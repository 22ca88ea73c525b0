"""What the surveys app plugs into the other apps' registries once every app is loaded: the three
sheet kinds, their workbook sheets, the office's home card and the demo step.

Imported only from ``SurveysConfig.ready``: these modules import models, which exist only once
the apps are loaded.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from branches.home_cards import OFFICE, register_home_cards
from portal.demo import register_demo_step
from portal.regional_data import register_regional_step
from surveys.audit_actions import ACTION_BRAND_PLAN_OPINION, ACTION_CONCERN_ANSWERED
from surveys.demo import seed_sheets
from surveys.home_cards import office_cards
from surveys.regional_data import build_regional_forms
from surveys.sheets.brand_plan import BrandPlanKind
from surveys.sheets.rectification import RectificationKind
from surveys.sheets.service_survey import ServiceSurveyKind
from surveys.workbook import register_notice_sheets
from tasks.audit_actions import sheet_imported
from tasks.history import register_action_labels
from tasks.kinds import register


def connect() -> None:
    kinds = [RectificationKind(), ServiceSurveyKind(), BrandPlanKind()]
    for kind in kinds:
        register(kind)
    register_notice_sheets(kinds)
    register_action_labels(
        {
            **{sheet_imported(kind.audit_name): _("Form imported from Excel") for kind in kinds},
            ACTION_CONCERN_ANSWERED: _("The office answered a concern"),
            ACTION_BRAND_PLAN_OPINION: _("Committee opinion recorded"),
        }
    )
    register_home_cards(OFFICE, office_cards, order=20)
    register_demo_step("attachment forms 1-3 of notice 2022 No. 3", seed_sheets)
    register_regional_step("attachment forms 1-3 of the workbook's notice", build_regional_forms)
