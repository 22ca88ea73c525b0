from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Attachment forms")

    def ready(self) -> None:
        from branches.home_cards import OFFICE, register_home_cards
        from portal.demo import register_demo_step
        from surveys.attachments.brand_plan import BrandPlanKind
        from surveys.attachments.rectification import RectificationKind
        from surveys.attachments.service_survey import ServiceSurveyKind
        from surveys.demo import seed_forms
        from surveys.home_cards import office_cards
        from surveys.workbook import register_notice_sheets
        from tasks.kinds import register

        kinds = [RectificationKind(), ServiceSurveyKind(), BrandPlanKind()]
        for kind in kinds:
            register(kind)
        register_notice_sheets(kinds)
        register_home_cards(OFFICE, office_cards, order=20)
        register_demo_step("attachment forms 1-3 of notice 2022 No. 3", seed_forms)
