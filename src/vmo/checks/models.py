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


class OrganisationKind(models.TextChoices):
    INSURER = "insurer", pgettext_lazy("organisation kind", "Insurer")
    CAR_RENTAL = "car_rental", pgettext_lazy("organisation kind", "Car rental")
    DRIVING_SCHOOL = "driving_school", pgettext_lazy("organisation kind", "Driving school")
    EMPLOYER = "employer", pgettext_lazy("organisation kind", "Employer")


class Organisation(models.Model):
    """A checker registered by the office: it calls the check API with its own keys, and its
    registered name is what the holder sees as the checker."""

    name = models.CharField(_("registered name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    registered_at = models.DateTimeField(_("registered"))
    registered_by_id = models.BigIntegerField(_("registered by"))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationKey(models.Model):
    """An API key of an organisation: only its hash is kept, the officer saw the key once."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="keys")
    label = models.CharField(_("label"), max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("key starts with"), max_length=12)
    # The check scopes (Scope values, comma-separated) this key may run.
    scopes = models.CharField(_("scopes"), max_length=40)
    created_at = models.DateTimeField(_("issued"))
    created_by_id = models.BigIntegerField(_("issued by"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by_id = models.BigIntegerField(_("revoked by"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("organisation API key")
        verbose_name_plural = _("organisation API keys")

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.prefix}…"

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split(",") if s]

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(s, s)) for s in self.scope_list]


class CallOutcome(models.TextChoices):
    OK = "ok", pgettext_lazy("check call outcome", "Answered")
    REFUSED = "refused", pgettext_lazy("check call outcome", "Code refused")
    INVALID = "invalid", pgettext_lazy("check call outcome", "Incomplete request")
    SCOPE = (
        "scope_not_allowed",
        pgettext_lazy("check call outcome", "Scope not allowed for the key"),
    )
    THROTTLED = "throttled", pgettext_lazy("check call outcome", "Over the limit")
    KEY_REVOKED = "key_revoked", pgettext_lazy("check call outcome", "Revoked key")


class OrganisationCall(AppendOnlyModel):
    """Every call of the check API made with an organisation's key, whatever its outcome. The
    holder appears only as a reference (the record id), never by name or number."""

    called_at = models.DateTimeField(_("time"), db_index=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="calls")
    key = models.ForeignKey(OrganisationKey, on_delete=models.PROTECT, related_name="calls")
    scope = models.CharField(_("scope"), max_length=10, blank=True, choices=Scope.choices)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices)
    holder_ref = models.BigIntegerField(_("holder reference"), null=True, blank=True)
    client_address = models.CharField(_("client address"), max_length=64)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    class Meta:
        ordering = ["-called_at", "-id"]
        verbose_name = _("check API call")
        verbose_name_plural = _("check API calls")
        indexes = [models.Index(fields=["organisation", "-called_at"])]

    def __str__(self) -> str:
        return f"{self.called_at:%Y-%m-%d %H:%M} {self.organisation_id} {self.outcome}"


class RefusalReason(models.TextChoices):
    UNKNOWN_KEY = "unknown_key", pgettext_lazy("refused key call", "Unknown or missing key")
    KEY_REVOKED = "key_revoked", pgettext_lazy("refused key call", "Revoked key")
    THROTTLED = "throttled", pgettext_lazy("refused key call", "Address over the limit")


class RefusedKeyCall(AppendOnlyModel):
    """A call of the check API refused before any organisation was known: no key, an unknown
    or revoked key, or an address over the limit of such calls. Only the key's first signs are
    kept (as long as a stored key's prefix), never the key: enough to tell a mistyped key of a
    known organisation from guessing, not enough to use one."""

    called_at = models.DateTimeField(_("time"), db_index=True)
    client_address = models.CharField(_("client address"), max_length=64, db_index=True)
    key_prefix = models.CharField(_("key starts with"), max_length=12, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=RefusalReason.choices)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)

    class Meta:
        ordering = ["-called_at", "-id"]
        verbose_name = _("refused check API call")
        verbose_name_plural = _("refused check API calls")

    def __str__(self) -> str:
        return f"{self.called_at:%Y-%m-%d %H:%M} {self.client_address} {self.reason}"
