from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "vmo.notices"
    label = "notices"

    def ready(self) -> None:
        from . import kinds

        kinds.autodiscover()

        from anymail.signals import tracking

        from .email_tracking import email_tracking_record

        tracking.connect(email_tracking_record, dispatch_uid="vmo.notices.email_tracking")
