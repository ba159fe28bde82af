from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "vmo.appointments"
    label = "appointments"
