from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Attachment forms")

    def ready(self) -> None:
        # Imported here, not at the top: its imports need the models, loaded only by now.
        from surveys import startup  # noqa: PLC0415

        startup.connect()
