from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "vmo.notices"
    label = "notices"
