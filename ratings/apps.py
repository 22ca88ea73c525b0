from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Star rating")

    def ready(self) -> None:
        from branches.home_cards import COMMITTEE, OFFICE, register_home_cards
        from portal.demo import register_demo_step
        from ratings.demo import seed_rating_rounds, seed_self_assessments
        from ratings.home_cards import committee_cards, office_cards
        from ratings.kind import StarSelfAssessmentKind
        from tasks.kinds import register

        register(StarSelfAssessmentKind())
        register_home_cards(OFFICE, office_cards, order=30)
        register_home_cards(COMMITTEE, committee_cards, order=30)
        import ratings.workbook  # noqa: F401  (registers the notice workbook's sheet)

        register_demo_step("star self-assessments of notice 2022 No. 3", seed_self_assessments)
        register_demo_step("star rating rounds 2021 and 2022", seed_rating_rounds)
