from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vmo.core"
    label = "core"
