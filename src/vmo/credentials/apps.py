from django.apps import AppConfig
from django.db.models.signals import post_save


class CredentialsConfig(AppConfig):
    name = "vmo.credentials"
    verbose_name = "Electronic licences"

    def ready(self) -> None:
        from .status_events import event_saved

        # The history's own row (sender named by label: no import of core's models here).
        post_save.connect(event_saved, sender="core.Event", dispatch_uid="vmo.credentials.status")
