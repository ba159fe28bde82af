from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "vmo.registry"
    label = "registry"
