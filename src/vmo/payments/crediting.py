"""Crediting orders from the gateways' callbacks and queries (re-exported by services).

Under a row lock on the order, so that twenty copies of one callback arriving at once credit it
once; a transaction id already seen is skipped, and every notification is recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction

from vmo.core import clock
from vmo.core.services import event_record

from . import hooks
from .choices import (
    PAYABLE_STATUSES,
    NotificationKind,
    OrderStatus,
    Outcome,
    RefundKind,
    RefundStatus,
)
from .gateways import get_gateway
from .gateways.base import Notification, NotificationError
from .models import GatewayNotification, PaymentOrder, Refund
from .refunds import refund_finish, refund_open

logger = logging.getLogger(__name__)


def _txn_seen(order: PaymentOrder, *, gateway: str, txn_id: str) -> bool:
    if order.gateway == gateway and order.gateway_txn_id == txn_id:
        return True
    return (
        Refund.objects.filter(gateway=gateway, gateway_txn_id=txn_id)
        .exclude(kind=RefundKind.REQUESTED)
        .exists()
    )


def _credit(
    order: PaymentOrder,
    *,
    gateway: str,
    txn_id: str,
    amount_fen: int,
    paid_at: datetime,
    source: str,
) -> str:
    """Apply one payment to a LOCKED order whose amount was checked. Returns the outcome."""
    if _txn_seen(order, gateway=gateway, txn_id=txn_id):
        return Outcome.DUPLICATE
    if order.status == OrderStatus.CLOSED:
        sibling = PaymentOrder.objects.live().filter(
            subject_type=order.subject_type, subject_id=order.subject_id, purpose=order.purpose
        )
        if sibling.exists():
            # Paid after we replaced the order (the amount changed): give the money back.
            refund_open(
                order=order,
                kind=RefundKind.LATE_PAYMENT,
                gateway=gateway,
                txn_id=txn_id,
                amount_fen=amount_fen,
                reason="payment to a closed order",
                actor=None,
            )
            return Outcome.LATE_PAYMENT
    elif order.status not in PAYABLE_STATUSES:
        # Already paid by another transaction (two channels): credit nothing, refund it.
        refund_open(
            order=order,
            kind=RefundKind.DUPLICATE_PAYMENT,
            gateway=gateway,
            txn_id=txn_id,
            amount_fen=amount_fen,
            reason=f"second payment of order {order.reference}",
            actor=None,
        )
        event_record(
            actor=None,
            subject=order,
            action="payment.duplicate",
            after={"txn": txn_id, "gateway": gateway, "amount_fen": amount_fen},
            reason="paid twice",
        )
        return Outcome.DUPLICATE_PAYMENT
    before = order.status
    order.status = OrderStatus.PAID
    order.gateway = gateway
    order.gateway_txn_id = txn_id
    order.paid_at = paid_at
    order.paid_amount_fen = amount_fen
    order.closed_at = None
    order.save(
        update_fields=[
            "status",
            "gateway",
            "gateway_txn_id",
            "paid_at",
            "paid_amount_fen",
            "closed_at",
        ]
    )
    event_record(
        actor=None,
        subject=order,
        action="payment.credit",
        before={"status": before},
        after={"status": order.status, "txn": txn_id, "gateway": gateway, "source": source},
    )
    hooks.run_paid(order)
    # Other payment pages still open for this order (another tab, another channel) are closed
    # at the gateway, so that a second payment becomes unlikely; one that slips through anyway
    # is refunded above.
    adapter = get_gateway(gateway)
    transaction.on_commit(lambda: adapter.close(order))
    return Outcome.CREDITED


def _apply_pay(gateway: str, note: Notification) -> str:
    order = PaymentOrder.objects.select_for_update().filter(reference=note.order_reference).first()
    if order is None:
        return Outcome.rejected("unknown_order")
    if note.amount_fen != order.amount_fen:
        return Outcome.rejected("amount_mismatch")
    return _credit(
        order,
        gateway=gateway,
        txn_id=note.txn_id,
        amount_fen=note.amount_fen,
        paid_at=note.occurred_at,
        source="notification",
    )


def _apply_refund(gateway: str, note: Notification) -> str:
    order = PaymentOrder.objects.select_for_update().filter(reference=note.order_reference).first()
    if order is None:
        return Outcome.rejected("unknown_order")
    refund = (
        Refund.objects.select_for_update()
        .filter(reference=note.refund_reference, order=order, gateway=gateway)
        .first()
    )
    if refund is None:
        return Outcome.rejected("unknown_refund")
    if refund.status in (RefundStatus.SUCCEEDED, RefundStatus.FAILED):
        return Outcome.DUPLICATE
    if note.amount_fen != refund.amount_fen:
        return Outcome.rejected("amount_mismatch")
    return refund_finish(order, refund, note)


def _record(
    *, gateway: str, body: bytes, signature_valid: bool, fields: Mapping[str, Any], outcome: str
) -> GatewayNotification:
    return GatewayNotification.objects.create(
        received_at=clock.now(),
        gateway=gateway,
        kind=fields.get("kind") or NotificationKind.UNKNOWN,
        body=body.decode("utf-8", errors="replace"),
        signature_valid=signature_valid,
        order_reference=fields.get("order_reference", "")[:64],
        txn_id=fields.get("txn_id", "")[:64],
        refund_reference=fields.get("refund_reference", "")[:64],
        amount_fen=fields.get("amount_fen"),
        outcome=outcome,
    )


def notification_process(
    *, gateway: str, body: bytes, headers: Mapping[str, str]
) -> GatewayNotification:
    """One callback from a gateway, whatever it says, is recorded with what became of it."""
    adapter = get_gateway(gateway)
    try:
        note = adapter.verify_notification(body, headers)
    except NotificationError as exc:
        if not exc.acknowledge:
            logger.warning("payments.callback_rejected gateway=%s reason=%s", gateway, exc.reason)
        with transaction.atomic():
            return _record(
                gateway=gateway,
                body=body,
                signature_valid=exc.signature_valid,
                fields=exc.fields,
                outcome=(Outcome.ignored if exc.acknowledge else Outcome.rejected)(exc.reason),
            )
    fields = {
        "kind": note.kind,
        "order_reference": note.order_reference,
        "txn_id": note.txn_id,
        "refund_reference": note.refund_reference,
        "amount_fen": note.amount_fen,
    }
    try:
        with transaction.atomic():
            apply = _apply_pay if note.kind == "pay" else _apply_refund
            outcome = apply(gateway, note)
            return _record(
                gateway=gateway, body=body, signature_valid=True, fields=fields, outcome=outcome
            )
    except Exception as exc:  # a hook or the database failed: nothing was credited
        logger.exception("payments.callback_failed gateway=%s txn=%s", gateway, note.txn_id)
        with transaction.atomic():
            return _record(
                gateway=gateway,
                body=body,
                signature_valid=True,
                fields=fields,
                outcome=Outcome.failed(type(exc).__name__[:40]),
            )
