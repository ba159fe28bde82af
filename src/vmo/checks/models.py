"""Check codes a holder gives to a checker, and the append-only log of every attempt."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from vmo.core.models import AppendOnlyModel


class Scope(models.TextChoices):
    LICENCE = "licence", pgettext_lazy("check scope", "Licence status and classes")
    POINTS = "points", pgettext_lazy("check scope", "Points this cycle")
    VEHICLE = (
        "vehicle",
        pgettext_lazy("check scope", "One vehicle's status, inspection and insurance"),
    )


class CheckCode(models.Model):
    """One code: only its keyed hash is stored, the holder saw the code once."""

    holder_person_id = models.BigIntegerField(_("holder person id"), db_index=True)
    holder_user_id = models.BigIntegerField(_("holder user id"))
    code_hash = models.CharField(_("code hash"), max_length=64, unique=True)
    # The last three characters let the holder tell codes apart; they do not help a guesser.
    code_hint = models.CharField(_("code ends with"), max_length=3)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    vehicle_id = models.BigIntegerField(_("vehicle id"), null=True, blank=True)
    vehicle_plate = models.CharField(_("plate"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    max_uses = models.PositiveSmallIntegerField(_("uses allowed"))
    uses = models.PositiveSmallIntegerField(_("uses"), default=0)
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("check code")
        verbose_name_plural = _("check codes")

    def __str__(self) -> str:
        return f"…{self.code_hint} ({self.scope})"


class CheckAttempt(AppendOnlyModel):
    """Every entry of a code, good or bad: the limits count the bad ones."""

    attempted_at = models.DateTimeField(_("time"), db_index=True)
    client_address = models.CharField(_("client address"), max_length=64, db_index=True)
    code = models.ForeignKey(CheckCode, null=True, blank=True, on_delete=models.PROTECT)
    succeeded = models.BooleanField(_("succeeded"))
    reason = models.CharField(_("reason"), max_length=20)
    organisation = models.CharField(_("organisation"), max_length=120)
    purpose = models.CharField(_("purpose"), max_length=200)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        verbose_name = _("check attempt")
        verbose_name_plural = _("check attempts")

    def __str__(self) -> str:
        return f"{self.attempted_at:%Y-%m-%d %H:%M} {self.client_address} {self.reason}"
