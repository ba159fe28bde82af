"""Applications for the businesses of the catalogue, with their materials, corrections,
refusal reasons, letters and the delivery of the documents the office issues."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from vmo.accounts.permissions import officer_can
from vmo.core.fields import EncryptedTextField
from vmo.core.phrases import again
from vmo.notices import values

from .choices import (
    CHECKABLE,
    CLOSABLE,
    IN_PROGRESS,
    PENDING_STATUSES,
    UNDECIDED,
    WITHDRAWABLE,
    ApplicationStatus,
    ClosedReason,
    DeliveryMethod,
    DeliveryStatus,
    DocumentKind,
)

S = ApplicationStatus


# Who may take each transition, read by django_fsm.has_transition_perm in permissions.py (the
# automatic approval calls the transitions without a user and is not asked).
def _applicant(instance: models.Model, user: Any) -> bool:
    return bool(
        getattr(user, "is_citizen", False) and getattr(instance, "applicant_id", None) == user.pk
    )


def _checker(instance: models.Model, user: Any) -> bool:
    return officer_can(user, "application.check")


def _decider(instance: models.Model, user: Any) -> bool:
    return officer_can(user, "application.decide")


class Application(models.Model):
    """One application. Its status changes only through the transitions below, each called by
    a service in ``services.py`` that checks who may do it and writes the history."""

    reference = models.CharField(_("reference"), max_length=24, unique=True)
    business_code = models.CharField(_("business"), max_length=4, db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    # Changed only by the transition methods below (django-fsm refuses an illegal one).
    status = FSMField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    company = models.ForeignKey(
        "registry.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    licence = models.ForeignKey(
        "registry.DriverLicence", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    vehicle = models.ForeignKey(
        "registry.Vehicle",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    # The answers to the business's form, as JSON, encrypted: they may hold an address or phone.
    data_json = EncryptedTextField(default="{}", blank=True, purpose="application.data")
    data_version = models.PositiveIntegerField(default=1)
    # One application per press of "submit", however often the request is retried.
    idempotency_key = models.CharField(max_length=64)
    fee_fen = models.PositiveIntegerField(_("fee"), default=0)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    due_on = models.DateField(_("due by"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    correction_round = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_applications",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A transfer's buyer, who confirms from their own account before the seller submits.
    counterparty = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    counterparty_confirmed_at = models.DateTimeField(null=True, blank=True)
    # R164 Art 74: a suspicious online application is handled at the counter instead.
    counter_reason = models.CharField(_("moved to the counter because"), max_length=300, blank=True)
    # The VIN of a business held to one pending application per VIN (temporary plates, R164
    # Art 47: the vehicle has no record to point at), set at submission; the constraint below
    # decides between two submissions at the same instant. Blank for every other business.
    held_vin = models.CharField(max_length=17, blank=True, default="", editable=False)
    # Why the office closed it (a ClosedReason code, rendered in the reader's language).
    closed_reason = models.CharField(max_length=12, choices=ClosedReason.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["applicant", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"], name="application_once_per_key"
            ),
            # One open application per business and record: a second renewal of one licence,
            # or a second plate replacement for one vehicle, cannot exist beside the first.
            models.UniqueConstraint(
                fields=["business_code", "licence"],
                condition=Q(status__in=IN_PROGRESS, licence__isnull=False),
                name="one_open_application_per_licence",
            ),
            models.UniqueConstraint(
                fields=["business_code", "vehicle"],
                condition=Q(status__in=IN_PROGRESS, vehicle__isnull=False),
                name="one_open_application_per_vehicle",
            ),
            # The check temp_one_application reads the sealed answers; this holds it when two
            # submissions for one VIN pass that check at the same instant.
            models.UniqueConstraint(
                fields=["business_code", "held_vin"],
                condition=Q(status__in=sorted(PENDING_STATUSES)) & ~Q(held_vin=""),
                name="one_pending_application_per_vin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.business_code}"

    @property
    def data(self) -> dict[str, Any]:
        return json.loads(self.data_json or "{}")

    @property
    def business(self) -> Any:
        from vmo.catalog.businesses import BUSINESSES

        return BUSINESSES[self.business_code]

    # The transitions. Each only changes the status; services do the rest.
    @transition(field=status, source=S.DRAFT, target=S.SUBMITTED, permission=_applicant)
    def submit(self) -> None: ...

    @transition(
        field=status, source=list(UNDECIDED), target=S.NEEDS_CORRECTION, permission=_checker
    )
    def ask_correction(self) -> None: ...

    @transition(
        field=status, source=S.NEEDS_CORRECTION, target=S.RESUBMITTED, permission=_applicant
    )
    def resubmit(self) -> None: ...

    @transition(field=status, source=list(CHECKABLE), target=S.UNDER_REVIEW, permission=_checker)
    def pass_check(self) -> None: ...

    @transition(field=status, source=S.UNDER_REVIEW, target=S.APPROVED, permission=_decider)
    def approve(self) -> None: ...

    @transition(field=status, source=S.APPROVED, target=S.COMPLETED, permission=_decider)
    def complete(self) -> None: ...

    @transition(field=status, source=list(UNDECIDED), target=S.REFUSED, permission=_decider)
    def refuse(self) -> None: ...

    @transition(field=status, source=list(WITHDRAWABLE), target=S.WITHDRAWN, permission=_applicant)
    def withdraw(self) -> None: ...

    # By the engine itself, never by a person: see services._engine.close_not_needed.
    @transition(field=status, source=list(CLOSABLE), target=S.CLOSED)
    def close(self) -> None: ...


def _upload_to(instance: ApplicationFile, filename: str) -> str:
    # The stored name says nothing about the person or the original file name.
    return f"applications/{instance.application_id}/{instance.sha256[:16]}{instance.extension}"


class ApplicationFile(models.Model):
    """One uploaded version of a material; a new upload of the same material supersedes it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material = models.CharField(_("material"), max_length=40)
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to=_upload_to)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # For a certificate that must be recent (e.g. the medical certificate: 6 months).
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    uploaded_at = models.DateTimeField()
    current = models.BooleanField(default=True)

    class Meta:
        ordering = ["material", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "material"],
                condition=Q(current=True),
                name="one_current_file_per_material",
            )
        ]

    def __str__(self) -> str:
        return f"{self.material} v{self.version}"


class CorrectionItem(models.Model):
    """One thing to correct, in one round of the one-time notice (一次性告知)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="corrections"
    )
    round = models.PositiveSmallIntegerField()
    # "material:photo", "field:address", "condition:not_revoked", "other:<n>"
    item = models.CharField(max_length=60)
    # As written when asked (the asker's language); an item in the engine's own words keeps
    # them as data too (message_values), and is read in its reader's language (`text`).
    message = models.TextField(_("what to correct"))
    message_values = models.TextField(blank=True, default="")
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    # The version of the item when it was raised: asking again about an unchanged item needs a
    # recorded reason (repeat_reason).
    item_version = models.PositiveIntegerField(default=0)
    repeat_reason = models.CharField(max_length=300, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"{self.item} (round {self.round})"

    @property
    def text(self) -> str:
        """What to correct, in the active language when the engine's words were kept."""
        kept = values.decode(self.message_values, get_language() or "")
        if kept and "message" in kept:
            return str(again(kept["message"]))
        return self.message

    @property
    def basis_ref(self) -> Any:
        """The business's legal reference this basis cites (None if the officer typed one)."""
        return self.application.business.legal_ref(self.basis)


class RefusalReason(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="refusal_reasons"
    )
    reason = models.TextField(_("reason"))
    basis = models.CharField(_("legal basis"), max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.basis

    @property
    def basis_ref(self) -> Any:
        """The business's legal reference this basis cites (None if the officer typed one)."""
        return self.application.business.legal_ref(self.basis)


class Document(models.Model):
    """A letter the office issued about the application (kept with it)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=DocumentKind.choices)
    file = models.FileField(upload_to="letters/%Y/%m/")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class Delivery(models.Model):
    """How the documents the office issues reach the applicant, and where they are."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="delivery"
    )
    method = models.CharField(_("delivery"), max_length=8, choices=DeliveryMethod.choices)
    recipient = EncryptedTextField(_("recipient"), blank=True, purpose="delivery.recipient")
    phone = EncryptedTextField(_("phone"), blank=True, purpose="delivery.phone")
    address = EncryptedTextField(_("address"), blank=True, purpose="delivery.address")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PREPARING,
    )
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.method} {self.status}"
