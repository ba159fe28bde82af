"""Every write of payments: orders, crediting from callbacks and queries, refunds.

Order states change only here, under a row lock on the order, so that twenty copies of one
callback arriving at once credit it once. Gateways are called outside our transactions (no
database connection held while talking to a provider).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from . import conf, hooks
from .choices import (
    PAYABLE_STATUSES,
    SETTLED_STATUSES,
    NotificationKind,
    OrderStatus,
    Outcome,
    RefundKind,
    RefundStatus,
)
from .gateways import default_gateway_name, get_gateway
from .gateways.base import GatewayError, Notification, NotificationError
from .models import GatewayNotification, PaymentOrder, Refund
from .reconciliation import discrepancy_resolve, reconcile
from .references import lock_order as _lock
from .references import new_reference
from .refunds import refund_create, refund_finish, refund_open, refund_submit, refundable_fen

__all__ = [
    "discrepancy_resolve",
    "notification_process",
    "order_close",
    "order_create",
    "order_refresh",
    "order_start",
    "orders_expire",
    "reconcile",
    "refund_create",
    "refund_submit",
    "refundable_fen",
]

logger = logging.getLogger(__name__)

# --- Orders -------------------------------------------------------------------------------


def _check_order_input(
    *, purpose: str, subject_type: str, subject_id: str, amount_fen: Any, description: str
) -> None:
    errors: dict[str, list[str]] = {}
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        errors["amount_fen"] = [_("The amount must be a whole number of fen above zero.")]
    for name, value, limit in (
        ("purpose", purpose, 30),
        ("subject_type", subject_type, 60),
        ("subject_id", subject_id, 64),
        ("description", description, 200),
    ):
        if not str(value or "").strip():
            errors[name] = [_("This is required.")]
        elif len(str(value)) > limit:
            errors[name] = [_("At most %(limit)d characters.") % {"limit": limit}]
    if errors:
        raise ValidationError(errors)


def _close(order: PaymentOrder, *, actor: Any, reason: str) -> None:
    before = order.status
    order.status = OrderStatus.CLOSED
    order.closed_at = clock.now()
    order.save(update_fields=["status", "closed_at"])
    event_record(
        actor=actor,
        subject=order,
        action="payment.close",
        before={"status": before},
        after={"status": order.status},
        reason=reason,
    )
    if order.gateway:
        gateway = get_gateway(order.gateway)
        # After commit: the gateway is another system, and our close must stand first.
        transaction.on_commit(lambda: gateway.close(order))


@transaction.atomic
def order_create(
    *,
    payer: Any,
    purpose: str,
    subject_type: str,
    subject_id: str,
    amount_fen: int,
    description: str,
    expires_at: datetime | None = None,
    return_to: str = "",
) -> PaymentOrder:
    """The order that pays for a subject. Asking again returns the same open order; if the
    amount changed (a late fee grew) the old one is closed and a new one made. A subject
    already paid returns its paid order: the caller sees it settled and asks no money."""
    _check_order_input(
        purpose=purpose,
        subject_type=subject_type,
        subject_id=subject_id,
        amount_fen=amount_fen,
        description=description,
    )
    if return_to and not url_has_allowed_host_and_scheme(return_to, allowed_hosts=None):
        raise ValidationError({"return_to": [_("Only a page of this site can be returned to.")]})
    now = clock.now()
    key = {"subject_type": subject_type, "subject_id": str(subject_id), "purpose": purpose}
    for _attempt in range(2):
        existing = PaymentOrder.objects.select_for_update().live().filter(**key).first()
        if existing is not None:
            if existing.status in SETTLED_STATUSES:
                return existing
            if (
                existing.amount_fen == amount_fen
                and existing.payer_id == payer.pk
                and existing.expires_at > now
            ):
                return existing
            _close(existing, actor=payer, reason="superseded")
        try:
            with transaction.atomic():
                order = PaymentOrder.objects.create(
                    reference=new_reference("PO"),
                    payer=payer,
                    amount_fen=amount_fen,
                    description=description,
                    created_at=now,
                    expires_at=expires_at or now + timedelta(minutes=conf.order_ttl_minutes()),
                    return_to=return_to,
                    **key,
                )
        except IntegrityError:
            # Another request made the subject's order a moment ago: take that one instead.
            continue
        event_record(
            actor=payer,
            subject=order,
            action="payment.create",
            after={
                "amount_fen": amount_fen,
                "purpose": purpose,
                "subject": f"{subject_type}#{subject_id}",
            },
        )
        return order
    raise ValidationError({"subject_id": [_("An order for this is being made; try again.")]})


def order_start(*, order: PaymentOrder, return_url: str, gateway: str | None = None) -> str:
    """Send the payer to the gateway; the URL of its payment page."""
    name = gateway or default_gateway_name()
    adapter = get_gateway(name)
    with transaction.atomic():
        locked = _lock(order)
        if locked.status not in PAYABLE_STATUSES or locked.expires_at <= clock.now():
            raise ValidationError({"order": [_("This order can no longer be paid.")]})
        before = locked.status
        locked.status = OrderStatus.PENDING
        locked.gateway = name
        locked.save(update_fields=["status", "gateway"])
        event_record(
            actor=locked.payer,
            subject=locked,
            action="payment.start",
            before={"status": before},
            after={"status": locked.status, "gateway": name},
        )
    return adapter.start(locked, return_url)


def order_refresh(*, order: PaymentOrder) -> PaymentOrder:
    """Ask the gateway at once (the payer is back before the callback): a paid order shows
    paid straight away. The callback that follows is then a harmless duplicate."""
    order = PaymentOrder.objects.get(pk=order.pk)
    if order.status not in PAYABLE_STATUSES or not order.gateway:
        return order
    status = get_gateway(order.gateway).query(order)
    if status.state != "paid":
        return order
    if status.amount_fen != order.amount_fen:
        logger.warning("payments.query_amount_mismatch order=%s", order.reference)
        return order
    with transaction.atomic():
        locked = _lock(order)
        _credit(
            locked,
            gateway=order.gateway,
            txn_id=status.txn_id,
            amount_fen=status.amount_fen,
            paid_at=status.paid_at or clock.now(),
            source="query",
        )
    return PaymentOrder.objects.get(pk=order.pk)


@transaction.atomic
def order_close(*, order: PaymentOrder, actor: Any, reason: str) -> PaymentOrder:
    """Withdraw an unpaid order (the fine was cancelled, the application withdrawn)."""
    locked = _lock(order)
    if locked.status not in PAYABLE_STATUSES:
        raise ValidationError({"order": [_("Only an unpaid order can be closed.")]})
    _close(locked, actor=actor, reason=reason)
    return locked


def orders_expire() -> int:
    """Close orders past their time. A pending one is asked about first: it may be paid."""
    now = clock.now()
    due = PaymentOrder.objects.filter(status__in=PAYABLE_STATUSES, expires_at__lte=now)
    closed = 0
    for order in due.only("pk", "status", "gateway"):
        if order.status == OrderStatus.PENDING:
            try:
                if order_refresh(order=order).status not in PAYABLE_STATUSES:
                    continue
            except GatewayError:
                continue  # cannot tell whether it was paid: leave it for the next sweep
        with transaction.atomic():
            locked = _lock(order)
            if locked.status in PAYABLE_STATUSES and locked.expires_at <= now:
                _close(locked, actor=None, reason="expired")
                closed += 1
    return closed


# --- Crediting ----------------------------------------------------------------------------


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
        logger.warning("payments.callback_rejected gateway=%s reason=%s", gateway, exc.reason)
        with transaction.atomic():
            return _record(
                gateway=gateway,
                body=body,
                signature_valid=exc.signature_valid,
                fields=exc.fields,
                outcome=Outcome.rejected(exc.reason),
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
