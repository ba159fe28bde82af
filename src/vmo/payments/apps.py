from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "vmo.payments"
    label = "payments"
