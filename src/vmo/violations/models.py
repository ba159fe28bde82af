from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import HandlingStatus, PaymentStatus


class ViolationCode(models.Model):
    """National violation codes with points and fine (amounts are data, never constants)."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    description_zh = models.CharField(_("description (Chinese)"), max_length=200)
    description_en = models.CharField(_("description (English)"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"))
    fine_min_fen = models.PositiveIntegerField(_("lowest fine (fen)"))
    fine_max_fen = models.PositiveIntegerField(_("highest fine (fen)"))
    legal_basis = models.CharField(_("legal basis"), max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(points__in=[0, 1, 3, 6, 9, 12]), name="violation_points_legal"
            ),
            models.CheckConstraint(
                condition=models.Q(fine_max_fen__gte=models.F("fine_min_fen")),
                name="violation_fine_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description_zh}"


class Violation(models.Model):
    record_id = models.CharField(_("record id"), max_length=40, unique=True)
    vehicle = models.ForeignKey(
        "registry.Vehicle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
    )
    plate_number = models.CharField(_("plate number"), max_length=10, db_index=True)
    code = models.ForeignKey(ViolationCode, on_delete=models.PROTECT, related_name="violations")
    occurred_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    device = models.CharField(_("device"), max_length=40, blank=True)
    points = models.PositiveSmallIntegerField(_("points"))
    fine_fen = models.PositiveIntegerField(_("fine (fen)"))
    handling_status = models.SmallIntegerField(
        choices=HandlingStatus.choices, default=HandlingStatus.UNHANDLED, db_index=True
    )
    payment_status = models.SmallIntegerField(
        choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["vehicle", "handling_status"])]

    def __str__(self) -> str:
        return f"{self.record_id} {self.plate_number}"
