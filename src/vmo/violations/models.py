from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    DecisionChannel,
    HandlingStatus,
    IntakeChannel,
    NominationStatus,
    PaymentStatus,
    ProxyKind,
    Source,
)


class ViolationCode(models.Model):
    """National violation codes with points and fine (amounts are data, never constants)."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    description_zh = models.CharField(_("description (Chinese)"), max_length=200)
    description_en = models.CharField(_("description (English)"), max_length=200)
    points = models.PositiveSmallIntegerField(_("points"))
    fine_min_fen = models.PositiveIntegerField(_("lowest fine (fen)"))
    fine_max_fen = models.PositiveIntegerField(_("highest fine (fen)"))
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    # Some records must be handled at a counter whatever their fine (e.g. 12-point offences).
    online_handleable = models.BooleanField(_("may be handled online"), default=True)
    # Speeding records must carry the measured speed and the limit: they are the fact itself.
    speed_required = models.BooleanField(
        _("speeding (needs measured speed and limit)"), default=False
    )

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


class IntakeClient(models.Model):
    """A system that delivers camera records through the API; only its key's hash is kept."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("intake client")
        verbose_name_plural = _("intake clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IntakeBatch(models.Model):
    """One delivery of camera records: what came in, what was loaded, what was refused and why."""

    channel = models.CharField(_("channel"), max_length=8, choices=IntakeChannel.choices)
    source_name = models.CharField(_("file or client"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    client = models.ForeignKey(
        IntakeClient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("intake client"),
    )
    received_at = models.DateTimeField(_("received at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)
    loaded = models.PositiveIntegerField(_("loaded"), default=0)
    duplicates = models.PositiveIntegerField(_("already on record"), default=0)
    rejected = models.PositiveIntegerField(_("refused"), default=0)
    unmatched = models.PositiveIntegerField(_("no vehicle on record"), default=0)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.received_at:%Y-%m-%d %H:%M} {self.loaded}/{self.total}"


class IntakeRejection(models.Model):
    batch = models.ForeignKey(IntakeBatch, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveIntegerField(_("line"))
    record_id = models.CharField(_("record id"), max_length=40, blank=True)
    # [{"field": ..., "code": ..., "params": {...}}]: codes, not text, so each reader gets the
    # message in their own language (vmo.violations.intake.reason_message).
    reasons = models.JSONField(_("reasons"), default=list)

    class Meta:
        ordering = ["batch", "line"]

    def __str__(self) -> str:
        codes = [r.get("code", "") if isinstance(r, dict) else str(r) for r in self.reasons]
        return f"line {self.line}: {'; '.join(codes)}"


class Violation(models.Model):
    record_id = models.CharField(_("record id"), max_length=40, unique=True)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.CAMERA
    )
    plate_type = models.CharField(_("plate type"), max_length=2, default="02")
    speed_kmh = models.PositiveSmallIntegerField(_("measured speed (km/h)"), null=True, blank=True)
    limit_kmh = models.PositiveSmallIntegerField(_("speed limit (km/h)"), null=True, blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    batch = models.ForeignKey(
        IntakeBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="violations"
    )
    vehicle = models.ForeignKey(
        "registry.Vehicle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
    )
    # The vehicle's owner when the record was entered, a person or a company: who answers for
    # it as its owner, so a buyer does not read the seller's records and the seller still does.
    # Both null for a vehicle not on record or a row written without them (the vehicle's owner
    # now is read then: violations.visibility holds the rule).
    owner_person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_company = models.ForeignKey(
        "registry.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
        indexes = [
            models.Index(fields=["vehicle", "handling_status"]),
            # The officers' search lists the newest first and filters by date range.
            models.Index(fields=["occurred_at"], name="violation_occurred_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.plate_number}"


class PenaltyDecision(models.Model):
    """The written decision that ends the handling of a record (RP Arts 52-56)."""

    number = models.CharField(_("decision number"), max_length=30, unique=True)
    violation = models.OneToOneField(Violation, on_delete=models.PROTECT, related_name="decision")
    licence = models.ForeignKey(
        "registry.DriverLicence", on_delete=models.PROTECT, related_name="decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))
    points = models.PositiveSmallIntegerField(_("points"))
    fine_fen = models.PositiveIntegerField(_("fine (fen)"))
    payment_due = models.DateField(_("pay by"))
    channel = models.CharField(
        _("where decided"),
        max_length=8,
        choices=DecisionChannel.choices,
        default=DecisionChannel.ONLINE,
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_fen = models.PositiveIntegerField(_("paid (fen)"), default=0)

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return self.number


class VehicleBinding(models.Model):
    """A vehicle that is not one's own, bound to handle its records (W03)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="vehicle_bindings"
    )
    vehicle = models.ForeignKey(
        "registry.Vehicle", on_delete=models.PROTECT, related_name="bindings"
    )
    bound_at = models.DateTimeField(_("bound at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "vehicle"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_binding",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} -> {self.vehicle}"


class DriverNomination(models.Model):
    """The owner names who drove; the record is handled on that driver's licence once they confirm."""

    violation = models.ForeignKey(Violation, on_delete=models.PROTECT, related_name="nominations")
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    driver = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="nominations"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["violation"],
                condition=models.Q(status="pending"),
                name="one_pending_nomination",
            )
        ]

    def __str__(self) -> str:
        return f"{self.violation} -> {self.driver} ({self.status})"


class BindingCode(models.Model):
    """The owner's consent to a binding (W03): a one-time code sent to the owner's phone.

    Only the code's hash is kept. It binds one person to one vehicle and is used once."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="binding_codes"
    )
    vehicle = models.ForeignKey(
        "registry.Vehicle", on_delete=models.CASCADE, related_name="binding_codes"
    )
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("sent at"))
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "vehicle", "created_at"])]

    def __str__(self) -> str:
        return f"binding code #{self.pk}"


class DecisionCounter(models.Model):
    """The last decision number given in a year, taken under a row lock (numbers never repeat)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ProxySuspect(models.Model):
    """A driver or a vehicle on the anti-proxy list: online handling is suspended for it until
    an officer clears it (DOMAIN §4). `evidence` keeps the decisions that put it there."""

    kind = models.CharField(_("kind"), max_length=8, choices=ProxyKind.choices)
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_suspicions",
    )
    vehicle = models.ForeignKey(
        "registry.Vehicle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_suspicions",
    )
    listed_at = models.DateTimeField(_("listed at"))
    # {"decisions": [numbers], "vehicles": [pks]} or {"decisions": [...], "drivers": [pks]}
    evidence = models.JSONField(_("evidence"), default=dict)
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    clear_reason = models.TextField(_("reason for clearing"), blank=True)

    class Meta:
        ordering = ["cleared_at", "-listed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(cleared_at__isnull=True, kind="driver"),
                name="one_open_proxy_driver",
            ),
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(cleared_at__isnull=True, kind="vehicle"),
                name="one_open_proxy_vehicle",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="driver", person__isnull=False, vehicle__isnull=True)
                    | models.Q(kind="vehicle", vehicle__isnull=False, person__isnull=True)
                ),
                name="proxy_subject_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id or self.vehicle_id}"
