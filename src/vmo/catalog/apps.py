from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "vmo.catalog"
    label = "catalog"
