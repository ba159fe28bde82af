from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "vmo.education"
    label = "education"
