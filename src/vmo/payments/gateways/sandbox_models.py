"""What the sandbox payment service keeps on its side, as a real one would in its own systems.

Nothing here refers to our orders by key: the sandbox knows them only by order number, the way
an outside gateway does.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import SandboxKind


class SandboxCheckout(models.Model):
    """One hosted payment page, opened by `start`. Each one can be paid once."""

    token = models.CharField(max_length=43, unique=True)
    order_reference = models.CharField(max_length=64, db_index=True)
    amount_fen = models.PositiveIntegerField()
    description = models.CharField(max_length=200)
    return_url = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sandbox checkout")
        verbose_name_plural = _("sandbox checkouts")

    def __str__(self) -> str:
        return f"{self.order_reference} {self.token[:8]}"


class SandboxTransaction(models.Model):
    """A payment or a refund the sandbox carried out: the lines of its daily statement."""

    txn_id = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=10, choices=SandboxKind.choices)
    checkout = models.ForeignKey(
        SandboxCheckout, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order_reference = models.CharField(max_length=64, db_index=True)
    amount_fen = models.PositiveIntegerField()
    refund_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    # Our refund number: a refund asked twice with the same number is carried out once.
    refund_reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("sandbox transaction")
        verbose_name_plural = _("sandbox transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["refund_reference"],
                condition=~models.Q(refund_reference=""),
                name="payments_sandbox_refund_once",
            )
        ]

    def __str__(self) -> str:
        return self.txn_id


class SandboxNotice(models.Model):
    """A signed callback the sandbox owes us, with its delivery state (its outbox)."""

    transaction = models.ForeignKey(
        SandboxTransaction, on_delete=models.PROTECT, related_name="notices"
    )
    body = models.TextField()
    signature = models.CharField(max_length=64)
    copies = models.PositiveSmallIntegerField(default=1)
    deliveries = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    # When the sandbox tries again a callback we have not accepted yet (its back-off schedule).
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("sandbox notice")
        verbose_name_plural = _("sandbox notices")

    def __str__(self) -> str:
        return f"notice {self.pk} for {self.transaction_id}"
