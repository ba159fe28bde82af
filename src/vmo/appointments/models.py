"""Sessions with a capacity, bookings in them, and learners (the registry has none).

The capacity is kept by the database: a session's `booked` counter is raised only under a row
lock on the session and a CHECK constraint refuses `booked > capacity` whatever the code does;
a partial unique index allows one active booking per vehicle (inspection) or per person and
subject (exam), so a double submit cannot make two.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from vmo.registry.choices import LicenceClass
from vmo.registry.models import DriverLicence, Person, Vehicle

from .choices import AppointmentKind, BookingStatus, LearnerStatus, Subject


class Site(models.Model):
    """An inspection station or an exam site."""

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=10, choices=AppointmentKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("open for bookings"), default=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="appointment_site_name")]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=10, choices=AppointmentKind.choices)
    subject = models.CharField(
        _("subject"), max_length=4, choices=Subject.choices, blank=True, default=""
    )
    day = models.DateField(_("day"), db_index=True)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["day", "start_time", "site_id"]
        indexes = [models.Index(fields=["kind", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=F("capacity")), name="session_booked_within_capacity"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(kind=AppointmentKind.INSPECTION) & Q(subject=""))
                | (Q(kind=AppointmentKind.EXAM) & ~Q(subject="")),
                name="session_subject_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["site", "day", "start_time", "subject"], name="session_once_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.day} {self.start_time:%H:%M}"

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


class Learner(models.Model):
    """A person learning to drive for one licence class: the permit, and the subjects' record."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="learners")
    licence_class = models.CharField(
        _("licence class applied for"), max_length=2, choices=LicenceClass.choices
    )
    accepted_on = models.DateField(_("application accepted on"))
    permit_issued_on = models.DateField(_("learner permit issued on"), null=True, blank=True)
    permit_valid_until = models.DateField(_("learner permit valid until"), null=True, blank=True)
    subject1_passed_on = models.DateField(null=True, blank=True)
    subject2_passed_on = models.DateField(null=True, blank=True)
    subject3_passed_on = models.DateField(null=True, blank=True)
    subject4_passed_on = models.DateField(null=True, blank=True)
    # Bookings that count against the cap of five within the permit (R162 Art 47).
    subject2_bookings = models.PositiveSmallIntegerField(default=0)
    subject3_bookings = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=LearnerStatus.choices, default=LearnerStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "licence_class"],
                condition=Q(status="active"),
                name="one_active_learner_per_class",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.licence_class}"

    def passed_on(self, subject: str) -> date | None:
        value: date | None = getattr(self, f"subject{subject}_passed_on", None)
        return value


ACTIVE = Q(status=BookingStatus.BOOKED)


_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone


def new_booking_reference() -> str:
    """What the citizen quotes at the hall or on the phone ("YY" for 预约), never the row id."""
    return "YY" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))


class Booking(models.Model):
    reference = models.CharField(
        _("booking reference"),
        max_length=12,
        unique=True,
        default=new_booking_reference,
        editable=False,
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    # Copied from the session so the unique indexes below can name them.
    kind = models.CharField(_("kind"), max_length=10, choices=AppointmentKind.choices)
    subject = models.CharField(
        _("subject"), max_length=4, choices=Subject.choices, blank=True, default=""
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bookings")
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    licence = models.ForeignKey(
        DriverLicence, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The status letters a passed full-score exam lifted (R163 Art 23), so that voiding the
    # pass (Art 31) sets exactly those again.
    flags_lifted = models.CharField(max_length=4, blank=True, default="", editable=False)
    moved_to = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="moved_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=ACTIVE & Q(kind=AppointmentKind.INSPECTION),
                name="one_active_inspection_per_vehicle",
            ),
            models.UniqueConstraint(
                fields=["person", "subject"],
                condition=ACTIVE & Q(kind=AppointmentKind.EXAM),
                name="one_active_exam_per_person_subject",
            ),
            models.CheckConstraint(
                condition=(Q(kind=AppointmentKind.INSPECTION) & Q(vehicle__isnull=False))
                | (Q(kind=AppointmentKind.EXAM) & Q(vehicle__isnull=True)),
                name="booking_vehicle_only_for_inspection",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED
