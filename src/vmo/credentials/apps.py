from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "vmo.credentials"
    verbose_name = "Electronic licences"
