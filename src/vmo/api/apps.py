from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vmo.api"
    label = "api"
