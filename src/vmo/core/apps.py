from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "vmo.core"
    label = "core"

    def ready(self) -> None:
        from .history_guard import install_after_migrate

        post_migrate.connect(
            install_after_migrate, sender=self, dispatch_uid="vmo.core.history_guard"
        )
