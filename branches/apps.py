from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from branches.demo import seed_organisations
        from portal.demo import register_demo_step

        register_demo_step("organisations, people and logins", seed_organisations)
        import branches.exporters  # noqa: F401  (registers the branch-life exporters)
        from branches.demo_life import seed_branch_life
        from branches.panels import register_branch_panel
        from branches.views.compliance import compliance_panel

        register_demo_step("meeting records, development and relation cases", seed_branch_life)
        register_branch_panel(compliance_panel)
