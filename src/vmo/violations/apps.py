from django.apps import AppConfig


class ViolationsConfig(AppConfig):
    name = "vmo.violations"
    label = "violations"
