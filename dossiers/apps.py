from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Yearly dossiers")

    def ready(self) -> None:
        # Imported here, not at the top: its imports need the models, loaded only by now.
        from dossiers import startup  # noqa: PLC0415

        startup.connect()
