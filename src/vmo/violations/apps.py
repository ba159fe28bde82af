from django.apps import AppConfig


class ViolationsConfig(AppConfig):
    name = "vmo.violations"
    label = "violations"

    def ready(self) -> None:
        # Here, not at import time of services: workers crediting callbacks must have it too.
        from vmo.payments.hooks import on_paid

        from . import services

        on_paid(services.FINE_PURPOSE)(services.fine_paid)
