from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "vmo.applications"
    label = "applications"
