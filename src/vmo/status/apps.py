from django.apps import AppConfig


class StatusConfig(AppConfig):
    name = "vmo.status"
    label = "status"
