from django.apps import AppConfig


class PlatesConfig(AppConfig):
    name = "vmo.plates"
    label = "plates"
