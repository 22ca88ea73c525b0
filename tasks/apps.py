from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Work notices")

    def ready(self) -> None:
        # Imported here, not at the top: its imports need the models, loaded only by now.
        from tasks import startup  # noqa: PLC0415

        startup.connect()
