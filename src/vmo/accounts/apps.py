from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vmo.accounts"
    label = "accounts"
