from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from branches.demo import seed_organisations
        from portal.demo import register_demo_step

        register_demo_step("organisations, people and logins", seed_organisations)
