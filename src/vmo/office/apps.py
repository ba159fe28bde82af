from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "vmo.office"
    label = "office"
