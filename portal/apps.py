import os

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Imported here, not at the top: the receivers need the models, loaded only by now.
        from portal import signals  # noqa: PLC0415

        signals.connect()
        # The embedded filesystem broker needs its folders before anyone publishes or polls.
        if settings.CELERY_BROKER_URL == "filesystem://":
            for key in ("data_folder_in", "processed_folder", "control_folder"):
                os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
