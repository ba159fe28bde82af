"""Payment orders, the callbacks that credit them, refunds and reconciliation.

Payments know no business: an order names what it pays for with two opaque strings
(subject_type, subject_id) and a purpose; business apps react through hooks.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from vmo.core.models import AppendOnlyModel
from vmo.core.phrases import again
from vmo.notices import values

from .choices import (
    ACCEPTED_OUTCOMES,
    LIVE_STATUSES,
    SETTLED_STATUSES,
    DiscrepancyKind,
    NotificationKind,
    OrderStatus,
    RefundKind,
    RefundStatus,
)


class PaymentOrderQuerySet(models.QuerySet["PaymentOrder"]):
    def for_payer(self, user: Any) -> PaymentOrderQuerySet:
        """The only way a page reaches an order: its payer sees it, nobody else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(payer=user)

    def live(self) -> PaymentOrderQuerySet:
        return self.filter(status__in=LIVE_STATUSES)


class PaymentOrder(models.Model):
    reference = models.CharField(_("order number"), max_length=24, unique=True)
    purpose = models.CharField(_("purpose"), max_length=30)
    subject_type = models.CharField(_("paid for (type)"), max_length=60)
    subject_id = models.CharField(_("paid for (id)"), max_length=64)
    # What the gateway is sent (the office's language: its providers are Chinese).
    description = models.CharField(_("description"), max_length=200)
    # What a person reads: the description's message id and values (vmo.notices.values),
    # said in the reader's language. Empty on orders made before it was kept.
    description_values = models.TextField(_("description as data"), blank=True, default="")
    amount_fen = models.PositiveIntegerField(_("amount (fen)"))
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payment_orders",
        verbose_name=_("payer"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.CREATED
    )
    gateway = models.CharField(_("payment service"), max_length=20, blank=True)
    gateway_txn_id = models.CharField(_("transaction number"), max_length=64, blank=True)
    return_to = models.CharField(_("page to return to"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    paid_amount_fen = models.PositiveIntegerField(_("amount paid (fen)"), default=0)
    refunded_amount_fen = models.PositiveIntegerField(_("amount refunded (fen)"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = PaymentOrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_fen__gt=0), name="payments_order_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount_fen__lte=models.F("paid_amount_fen")),
                name="payments_order_refund_within_paid",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "purpose"],
                condition=Q(status__in=LIVE_STATUSES),
                name="payments_order_one_live_per_subject",
            ),
            # One gateway transaction credits one order, at most.
            models.UniqueConstraint(
                fields=["gateway", "gateway_txn_id"],
                condition=~Q(gateway_txn_id=""),
                name="payments_order_txn_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["gateway", "paid_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def shown_description(self) -> str:
        """The description in the active language; an order that kept no values, as stored."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        kept = values.decode(self.description_values, language)
        if kept is None or "description" not in kept:
            return self.description
        with translation.override(language):
            return str(again(kept["description"]))

    @property
    def is_payable(self) -> bool:
        return self.status in (OrderStatus.CREATED, OrderStatus.PENDING)

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES


class GatewayNotification(AppendOnlyModel):
    """Every callback received, readable or not, kept as it came: the evidence in a dispute."""

    received_at = models.DateTimeField(_("received"), db_index=True)
    gateway = models.CharField(_("payment service"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=NotificationKind.choices)
    body = models.TextField(_("body as received"))
    signature_valid = models.BooleanField(_("signature valid"))
    order_reference = models.CharField(_("order number"), max_length=64, blank=True)
    txn_id = models.CharField(_("transaction number"), max_length=64, blank=True)
    refund_reference = models.CharField(_("refund number"), max_length=64, blank=True)
    amount_fen = models.BigIntegerField(_("amount (fen)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=60)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("gateway notification")
        verbose_name_plural = _("gateway notifications")
        indexes = [models.Index(fields=["order_reference"])]
        constraints = [
            # Below the row lock, a second line of defence: a transaction is acted on once.
            models.UniqueConstraint(
                fields=["gateway", "kind", "txn_id"],
                condition=Q(outcome__in=ACCEPTED_OUTCOMES),
                name="payments_notification_acted_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.kind} {self.txn_id} {self.outcome}"


class Refund(models.Model):
    order = models.ForeignKey(
        PaymentOrder, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("order")
    )
    reference = models.CharField(_("refund number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RefundKind.choices)
    gateway = models.CharField(_("payment service"), max_length=20)
    gateway_txn_id = models.CharField(_("transaction refunded"), max_length=64)
    amount_fen = models.PositiveIntegerField(_("amount (fen)"))
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=12, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    gateway_refund_id = models.CharField(_("gateway refund number"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    failure_reason = models.CharField(_("failure reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"))
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_fen__gt=0), name="payments_refund_amount_positive"
            ),
            # A second payment is given back once, however often its callback arrives.
            models.UniqueConstraint(
                fields=["gateway", "gateway_txn_id"],
                condition=~Q(kind=RefundKind.REQUESTED),
                name="payments_refund_one_automatic_per_txn",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Reconciliation(models.Model):
    gateway = models.CharField(_("payment service"), max_length=20)
    statement_date = models.DateField(_("statement date"))
    run_at = models.DateTimeField(_("last run"))
    gateway_lines = models.PositiveIntegerField(_("lines in the statement"), default=0)
    local_records = models.PositiveIntegerField(_("our records"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    discrepancy_count = models.PositiveIntegerField(_("discrepancies"), default=0)

    class Meta:
        ordering = ["-statement_date", "gateway"]
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "statement_date"], name="payments_reconciliation_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.statement_date}"


class Discrepancy(models.Model):
    reconciliation = models.ForeignKey(
        Reconciliation,
        on_delete=models.PROTECT,
        related_name="discrepancies",
        verbose_name=_("reconciliation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DiscrepancyKind.choices)
    # The transaction or refund number it is about: one row per thing per run.
    key = models.CharField(_("transaction or refund number"), max_length=64)
    order_reference = models.CharField(_("order number"), max_length=64, blank=True)
    txn_id = models.CharField(_("transaction number"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict)
    found_at = models.DateTimeField(_("found"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        ordering = ["found_at", "id"]
        verbose_name = _("discrepancy")
        verbose_name_plural = _("discrepancies")
        constraints = [
            models.UniqueConstraint(
                fields=["reconciliation", "kind", "key"], name="payments_discrepancy_once_per_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


# The sandbox gateway's own tables (what a real gateway would keep on its side).
from .gateways.sandbox_models import (  # noqa: E402
    SandboxCheckout,
    SandboxNotice,
    SandboxTransaction,
)

__all__ = [
    "Discrepancy",
    "GatewayNotification",
    "PaymentOrder",
    "Reconciliation",
    "Refund",
    "SandboxCheckout",
    "SandboxNotice",
    "SandboxTransaction",
]
