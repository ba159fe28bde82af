from django.db import models
from django.utils.translation import gettext_lazy as _


class PoolPlateType(models.TextChoices):
    """The plate types the office releases numbers for (codes of registry.PlateType)."""

    SMALL = "02", _("small vehicle (blue plate)")
    SMALL_NEW_ENERGY = "52", _("small new-energy vehicle (green plate)")
    LARGE = "01", _("large vehicle (yellow plate)")
    LARGE_NEW_ENERGY = "51", _("large new-energy vehicle (yellow-green plate)")


class NumberStatus(models.TextChoices):
    FREE = "free", _("free")
    RESERVED = "reserved", _("reserved")
    BOUND = "bound", _("registered")


class ReservationStatus(models.TextChoices):
    ACTIVE = "active", _("reserved")
    BOUND = "bound", _("used at registration")
    RELEASED = "released", _("released by the applicant")
    EXPIRED = "expired", _("expired and released")


class ReservationSource(models.TextChoices):
    DRAWN = "drawn", _("random draw")
    COMPOSED = "composed", _("self-composed")


# Statuses in which a number is held: the unique index keeps each number in at most one.
HOLDING = (ReservationStatus.ACTIVE, ReservationStatus.BOUND)
