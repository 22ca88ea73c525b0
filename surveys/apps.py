from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Attachment forms")

    def ready(self) -> None:
        # Django's app loading: models and what uses them are importable only once the
        # registry is ready, so the registrations import here.
        from branches.home_cards import OFFICE, register_home_cards  # noqa: PLC0415
        from portal.demo import register_demo_step  # noqa: PLC0415
        from surveys.demo import seed_sheets  # noqa: PLC0415
        from surveys.home_cards import office_cards  # noqa: PLC0415
        from surveys.sheets.brand_plan import BrandPlanKind  # noqa: PLC0415
        from surveys.sheets.rectification import RectificationKind  # noqa: PLC0415
        from surveys.sheets.service_survey import ServiceSurveyKind  # noqa: PLC0415
        from surveys.workbook import register_notice_sheets  # noqa: PLC0415
        from tasks.kinds import register  # noqa: PLC0415

        kinds = [RectificationKind(), ServiceSurveyKind(), BrandPlanKind()]
        for kind in kinds:
            register(kind)
        register_notice_sheets(kinds)
        register_home_cards(OFFICE, office_cards, order=20)
        register_demo_step("attachment forms 1-3 of notice 2022 No. 3", seed_sheets)
