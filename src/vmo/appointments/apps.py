from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "vmo.appointments"
    label = "appointments"

    def ready(self) -> None:
        # Here, not at import time: a worker recording a finding must void the bookings too.
        from vmo.education.hooks import on_exams_void

        from .exam_void import full_score_exams_void

        on_exams_void(full_score_exams_void)
