"""The full-score study's on-site days (R163 Art 19), recorded by an officer, and the officers'
findings of falsified study (R163 Arts 26(5), 31). Imported by .models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import CheatingKind


class CheatingFinding(models.Model):
    """An officer's finding of falsified study (R163 Art 31). It voids what the study earned
    (the reduction, or the full-score study's days) and bars learning to reduce points for
    the cycle of the study and the two after it (Art 26(5)): `bar_ends_on` is the last day."""

    licence = models.ForeignKey(
        "registry.DriverLicence", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("what was falsified"), max_length=8, choices=CheatingKind.choices, default="record"
    )
    # One of the two: the E01 study whose reduction is revoked, or the full-score study.
    enrolment = models.ForeignKey(
        "education.Enrolment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    full_score_study = models.ForeignKey(
        "education.FullScoreStudy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    # The day of the falsified study: its cycle starts the three cycles of Art 26(5).
    study_on = models.DateField(null=True, blank=True)
    bar_ends_on = models.DateField(null=True, blank=True)
    points_restored = models.PositiveSmallIntegerField(default=0)
    found_on = models.DateField()
    reason = models.CharField(max_length=300)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-found_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(enrolment__isnull=False), name="finding_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} {self.found_on}"


class OnsiteStudyDay(models.Model):
    """A day of more than three continuous hours of on-site study (R163 Art 19 para 3), as the
    officer at the site saw it. One per study and date: a day counts once."""

    study = models.ForeignKey(
        "education.FullScoreStudy", on_delete=models.PROTECT, related_name="onsite_days"
    )
    day = models.DateField(_("date"))
    site = models.CharField(_("study site"), max_length=80)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # Void by a cheating finding (R163 Art 31 para 1): kept, never counted.
    finding = models.ForeignKey(
        CheatingFinding, on_delete=models.PROTECT, null=True, blank=True, related_name="days"
    )

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["study", "day"], name="onsite_day_once"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="onsite_day_times"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study_id} {self.day}"
