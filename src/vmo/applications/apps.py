from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "vmo.applications"
    label = "applications"

    def ready(self) -> None:
        from vmo.payments.hooks import on_paid

        from . import services

        on_paid(services.FEE_PURPOSE)(services.fee_paid)
