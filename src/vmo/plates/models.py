"""Plate-number pre-selection: pools of released numbers, the day seeds that make draws
checkable, the draws themselves and the reservations.

Two applicants can never hold the same number: a partial unique index allows one holding
reservation (active or bound) per number, and one active reservation per VIN, whatever the code
above it does. Services also lock the pool row, so a loser gets a clean refusal, not an error.
"""

from __future__ import annotations

import zlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vmo.core.fields import EncryptedTextField
from vmo.core.plates import plate_text

from .choices import (
    HOLDING,
    NumberStatus,
    PoolPlateType,
    ReservationSource,
    ReservationStatus,
)

# The note of the batches the demo loads: a code, said in the reader's language (it was stored
# as 演示号码, the seeding process's language, and shown so on English pages).
DEMO_NOTE = "demo"


class PoolBatch(models.Model):
    """One release of numbers by the office (announced: R164 Art 43, numbers issued publicly)."""

    plate_type = models.CharField(_("plate type"), max_length=2, choices=PoolPlateType.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    size = models.PositiveIntegerField(_("numbers"))
    first_number = models.CharField(_("first number"), max_length=10)
    last_number = models.CharField(_("last number"), max_length=10)

    class Meta:
        verbose_name = _("pool batch")
        verbose_name_plural = _("pool batches")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_plate_type_display()} {self.first_number}–{self.last_number}"

    @property
    def note_text(self) -> str:
        """The note as the officer typed it; the demo's in the active language."""
        return str(_("Demonstration numbers")) if self.note == DEMO_NOTE else self.note


class PoolNumber(models.Model):
    number = models.CharField(_("plate number"), max_length=10, unique=True)
    plate_type = models.CharField(_("plate type"), max_length=2, choices=PoolPlateType.choices)
    batch = models.ForeignKey(PoolBatch, on_delete=models.PROTECT, related_name="numbers")
    status = models.CharField(
        _("status"), max_length=8, choices=NumberStatus.choices, default=NumberStatus.FREE
    )

    class Meta:
        verbose_name = _("pool number")
        verbose_name_plural = _("pool numbers")
        indexes = [models.Index(fields=["plate_type", "status", "number"])]

    def __str__(self) -> str:
        return self.number


class WithheldSeries(models.Model):
    """A pattern of numbers the office keeps: never offered in a draw, never composable.

    ``?`` stands for any one character and ``*`` for any run of characters; everything else
    matches itself, e.g. ``新B8888?`` or ``新B*000``.
    """

    pattern = models.CharField(_("pattern"), max_length=20, unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("withheld series")
        verbose_name_plural = _("withheld series")
        ordering = ["pattern"]

    def __str__(self) -> str:
        return self.pattern


class DaySeed(models.Model):
    """A day's secret seed: its SHA-256 is published before the day starts, the seed after it ends."""

    day = models.DateField(_("day"), unique=True)
    # Hex of 32 random bytes, encrypted at rest: it must stay secret until the day is over.
    seed_hex = EncryptedTextField(purpose="plates.seed")
    commitment = models.CharField(_("SHA-256 of the seed"), max_length=64)
    committed_at = models.DateTimeField(_("commitment published at"))
    revealed_at = models.DateTimeField(_("seed revealed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("day seed")
        verbose_name_plural = _("day seeds")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day} {self.commitment[:12]}"

    @property
    def seed(self) -> bytes:
        return bytes.fromhex(self.seed_hex)

    @property
    def is_revealed(self) -> bool:
        return self.revealed_at is not None


class Draw(models.Model):
    """One set of candidates offered to one applicant for one vehicle."""

    public_id = models.CharField(_("draw number"), max_length=32, unique=True)
    day = models.ForeignKey(DaySeed, on_delete=models.PROTECT, related_name="draws")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plate_draws"
    )
    company = models.ForeignKey(
        "registry.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    vin = models.CharField(_("VIN"), max_length=17, db_index=True)
    model_name = models.CharField(_("model"), max_length=60)
    plate_type = models.CharField(_("plate type"), max_length=2, choices=PoolPlateType.choices)
    created_at = models.DateTimeField(_("drawn at"))
    # The ordered free numbers at the draw moment, newline-joined UTF-8, zlib-compressed.
    snapshot = models.BinaryField()
    snapshot_hash = models.CharField(_("SHA-256 of the pool snapshot"), max_length=64)
    snapshot_size = models.PositiveIntegerField(_("free numbers at the draw"))
    candidates = models.JSONField(_("numbers offered"), default=list)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["vin", "created_at"])]

    def __str__(self) -> str:
        return self.public_id

    @property
    def snapshot_numbers(self) -> list[str]:
        text = zlib.decompress(bytes(self.snapshot)).decode("utf-8")
        return text.split("\n") if text else []


class Reservation(models.Model):
    number = models.CharField(_("plate number"), max_length=10)
    pool_number = models.ForeignKey(
        PoolNumber, on_delete=models.PROTECT, related_name="reservations"
    )
    plate_type = models.CharField(_("plate type"), max_length=2, choices=PoolPlateType.choices)
    vin = models.CharField(_("VIN"), max_length=17)
    model_name = models.CharField(_("model"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plate_reservations"
    )
    company = models.ForeignKey(
        "registry.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("how chosen"), max_length=8, choices=ReservationSource.choices)
    draw = models.ForeignKey(
        Draw, on_delete=models.PROTECT, null=True, blank=True, related_name="reservations"
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ReservationStatus.choices,
        default=ReservationStatus.ACTIVE,
    )
    reserved_at = models.DateTimeField(_("reserved at"), db_index=True)
    expires_on = models.DateField(_("kept until"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["-reserved_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(status__in=[s.value for s in HOLDING]),
                name="plates_number_held_once",
            ),
            models.UniqueConstraint(
                fields=["vin"],
                condition=Q(status=ReservationStatus.ACTIVE.value),
                name="plates_one_active_per_vin",
            ),
            models.CheckConstraint(
                condition=~Q(source=ReservationSource.DRAWN.value) | Q(draw__isnull=False),
                name="plates_drawn_has_draw",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.vin[-6:]}"

    @property
    def display(self) -> str:
        return plate_text(self.number)

    @property
    def is_active(self) -> bool:
        return self.status == ReservationStatus.ACTIVE
