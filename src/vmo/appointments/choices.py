from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppointmentKind(models.TextChoices):
    INSPECTION = "inspection", _("vehicle inspection")
    EXAM = "exam", _("driving exam")


class Subject(models.TextChoices):
    """Exam subjects (R162 Art 38); "" on inspection sessions. Full score: R163 Art 21."""

    NONE = "", _("none")
    S1 = "1", _("Subject 1 (traffic law)")
    S2 = "2", _("Subject 2 (site driving)")
    S3 = "3", _("Subject 3 (road driving)")
    S4 = "4", _('Subject 3 safe-driving knowledge ("Subject 4")')
    FULL_SCORE = "full", _("Full-score exam (traffic law)")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    # "cancelled" and "failed" alone are a licence's and a message's status in the catalogue.
    CANCELLED = "cancelled", pgettext_lazy("booking status", "cancelled")
    RESCHEDULED = "rescheduled", _("moved to another session")
    PASSED = "passed", pgettext_lazy("booking status", "passed")
    FAILED = "failed", pgettext_lazy("booking status", "failed")
    ABSENT = "absent", _("did not attend")
    # A passed full-score exam found falsified afterwards (R163 Art 31 para 1).
    VOIDED = "voided", pgettext_lazy("booking status", "passed, void (falsified)")


# What an officer may record for a booking.
RESULTS = (BookingStatus.PASSED, BookingStatus.FAILED, BookingStatus.ABSENT)
# The results as they read now: a pass may since have been found falsified.
RESULTS_SHOWN = (*RESULTS, BookingStatus.VOIDED)


class LearnerStatus(models.TextChoices):
    ACTIVE = "active", _("learning")
    LICENSED = "licensed", _("all subjects passed")
    VOIDED = "voided", _("results void after the fifth failure")
    LAPSED = "lapsed", _("learner permit expired")
