from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = _("Party dues")

    def ready(self) -> None:
        # Imported here, not at the top: its imports need the models, loaded only by now.
        from dues import startup  # noqa: PLC0415

        startup.connect()
