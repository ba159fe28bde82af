from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "vmo.notices"
    label = "notices"

    def ready(self) -> None:
        from . import kinds

        kinds.autodiscover()
