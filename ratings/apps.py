from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("Star rating")

    def ready(self) -> None:
        # Imported here, not at the top: its imports need the models, loaded only by now.
        from ratings import startup  # noqa: PLC0415

        startup.connect()
