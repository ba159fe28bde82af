from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vmo.demo"
    label = "demo"
