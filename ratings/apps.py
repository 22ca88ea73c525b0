from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Star rating")

    def ready(self) -> None:
        # Django's app loading: models and what uses them are importable only once the
        # registry is ready, so the registrations import here.
        from branches.home_cards import COMMITTEE, OFFICE, register_home_cards  # noqa: PLC0415
        from portal.demo import register_demo_step  # noqa: PLC0415
        from ratings.demo import seed_rating_rounds, seed_self_assessments  # noqa: PLC0415
        from ratings.home_cards import committee_cards, office_cards  # noqa: PLC0415
        from ratings.self_assessment import StarSelfAssessmentKind  # noqa: PLC0415
        from tasks.kinds import register  # noqa: PLC0415

        register(StarSelfAssessmentKind())
        register_home_cards(OFFICE, office_cards, order=30)
        register_home_cards(COMMITTEE, committee_cards, order=30)
        import ratings.workbook  # noqa: F401, PLC0415  (registers the notice workbook's sheet)

        register_demo_step("star self-assessments of notice 2022 No. 3", seed_self_assessments)
        register_demo_step("star rating rounds 2021 and 2022", seed_rating_rounds)
