from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "vmo.portal"
    label = "portal"
