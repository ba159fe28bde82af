"""The record of a temporary plate (R164 Arts 46-47), kept by VIN. Kept in its own module so
registry/models.py stays within the line limit; models.py imports it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vmo.core.plates import plate_text

from .choices import TemporaryPlateCase


class TemporaryPlate(models.Model):
    """A temporary plate (临时行驶车号牌) issued to a vehicle that has no plates yet (R164 Arts
    46-47). The vehicle has no record of its own until it is registered, so the plate is kept
    by its VIN; each issue is one row, and the rows count the issues (at most three for an
    unsold or unregistered vehicle, one for export). The rules are in
    ``registry.temporary_plate_rules``."""

    # Assigned in the same transaction as the row (from its id): empty only inside it.
    number = models.CharField(_("temporary plate number"), max_length=12, blank=True)
    vin = models.CharField(_("VIN"), max_length=17, db_index=True)
    case = models.CharField(
        pgettext_lazy("temporary plate", "case"), max_length=10, choices=TemporaryPlateCase.choices
    )
    holder_person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="temporary_plates"
    )
    # The dealer (or other company) the holder applied for, if any.
    holder_company = models.ForeignKey(
        "registry.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="temporary_plates",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"))
    insurance_valid_until = models.DateField(_("compulsory insurance valid until"))
    issued_on = models.DateField(_("issued on"))
    # The application it was decided on (its reference), for the history and the notices.
    application_reference = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("temporary plate")
        verbose_name_plural = _("temporary plates")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="temporary_plate_number_once"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="temporary_plate_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__lte=models.F("insurance_valid_until")),
                name="temporary_plate_within_insurance",
            ),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return plate_text(self.number)
