from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BranchesConfig(AppConfig):
    name = "branches"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        # Imported here, not at the top: its imports need the models, loaded only by now.
        from branches import startup  # noqa: PLC0415

        startup.connect()
