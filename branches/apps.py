from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        # These modules import models, which Django loads only after every AppConfig is
        # created; importing them at the top of apps.py would fail with AppRegistryNotReady.
        import branches.exporters  # noqa: F401, PLC0415  (registers the branch-life exporters)
        from branches.demo import seed_organisations  # noqa: PLC0415
        from branches.demo_life import seed_branch_life  # noqa: PLC0415
        from branches.home_cards import BRANCH, OFFICE, register_home_cards  # noqa: PLC0415
        from branches.panels import register_branch_panel  # noqa: PLC0415
        from branches.views.compliance import compliance_panel  # noqa: PLC0415
        from branches.views.home_cards import branch_cards, office_cards  # noqa: PLC0415
        from portal.demo import register_demo_step  # noqa: PLC0415

        register_demo_step("organisations, people and logins", seed_organisations)
        register_demo_step("meeting records, development and relation cases", seed_branch_life)
        register_branch_panel(compliance_panel)
        register_home_cards(OFFICE, office_cards, order=40)
        register_home_cards(BRANCH, branch_cards)
