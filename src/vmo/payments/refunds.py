"""Refunds: asked for by an officer (a refused application's fee) or automatically (a second
payment of a paid order, a payment to a replaced order). Sent to the gateway after commit by
a task; finished by the gateway's callback. (Re-exported by services.py.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.money import format_fen
from vmo.core.services import event_record

from . import hooks
from .choices import OrderStatus, Outcome, RefundKind, RefundStatus
from .gateways import get_gateway
from .gateways.base import Notification
from .models import PaymentOrder, Refund
from .references import lock_order, new_reference

if TYPE_CHECKING:
    from vmo.accounts.models import User


def refund_open(
    *,
    order: PaymentOrder,
    kind: str,
    gateway: str,
    txn_id: str,
    amount_fen: int,
    reason: str,
    actor: User | None,
) -> Refund:
    from . import tasks

    refund = Refund.objects.create(
        order=order,
        reference=new_reference("RF"),
        kind=kind,
        gateway=gateway,
        gateway_txn_id=txn_id,
        amount_fen=amount_fen,
        reason=reason,
        requested_by=actor if getattr(actor, "pk", None) else None,
        created_at=clock.now(),
    )
    event_record(
        actor=actor,
        subject=order,
        action="refund.create",
        after={"refund": refund.reference, "kind": kind, "amount_fen": amount_fen, "txn": txn_id},
        reason=reason,
    )
    transaction.on_commit(lambda: tasks.refund_submit.delay(refund.pk))
    return refund


def refund_finish(order: PaymentOrder, refund: Refund, note: Notification) -> str:
    """The gateway says how a refund ended. Both the order and the refund are locked."""
    refund.gateway_refund_id = refund.gateway_refund_id or note.txn_id
    refund.completed_at = note.occurred_at
    if not note.succeeded:
        refund.status = RefundStatus.FAILED
        refund.failure_reason = "refused by the gateway"
        refund.save(update_fields=["status", "gateway_refund_id", "completed_at", "failure_reason"])
        event_record(
            actor=None, subject=order, action="refund.fail", after={"refund": refund.reference}
        )
        return Outcome.REFUND_FAILED
    refund.status = RefundStatus.SUCCEEDED
    refund.save(update_fields=["status", "gateway_refund_id", "completed_at"])
    before = order.status
    if refund.kind == RefundKind.REQUESTED:
        order.refunded_amount_fen += refund.amount_fen
        order.status = (
            OrderStatus.REFUNDED
            if order.refunded_amount_fen >= order.paid_amount_fen
            else OrderStatus.PARTIALLY_REFUNDED
        )
        order.save(update_fields=["refunded_amount_fen", "status"])
    event_record(
        actor=None,
        subject=order,
        action="refund.succeed",
        before={"status": before},
        after={"status": order.status, "refund": refund.reference, "amount_fen": refund.amount_fen},
    )
    if refund.kind == RefundKind.REQUESTED:
        hooks.run_refunded(order, refund)
    return Outcome.REFUNDED


def refundable_fen(order: PaymentOrder) -> int:
    """Paid minus every refund asked for that has not failed."""
    asked = (
        Refund.objects.filter(order=order, kind=RefundKind.REQUESTED)
        .exclude(status=RefundStatus.FAILED)
        .aggregate(total=Sum("amount_fen"))["total"]
        or 0
    )
    return order.paid_amount_fen - asked


@transaction.atomic
def refund_create(
    *, order: PaymentOrder, amount_fen: int, reason: str, actor: User | None
) -> Refund:
    """Give back (part of) a payment, e.g. the fee of a refused application."""
    locked = lock_order(order)
    errors: dict[str, list[str]] = {}
    if locked.status not in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED):
        errors["order"] = [_("Only a paid order can be refunded.")]
    if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
        errors["amount_fen"] = [_("The amount must be a whole number of fen above zero.")]
    elif "order" not in errors and amount_fen > (left := refundable_fen(locked)):
        errors["amount_fen"] = [
            _("At most %(amount)s can still be refunded.") % {"amount": format_fen(left)}
        ]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the refund.")]
    if errors:
        raise ValidationError(errors)
    return refund_open(
        order=locked,
        kind=RefundKind.REQUESTED,
        gateway=locked.gateway,
        txn_id=locked.gateway_txn_id,
        amount_fen=amount_fen,
        reason=reason.strip(),
        actor=actor,
    )


def refund_submit(*, refund_id: int) -> Refund:
    """Send a refund to the gateway (from a task, with retries on GatewayError)."""
    refund = Refund.objects.select_related("order").get(pk=refund_id)
    if refund.status != RefundStatus.PENDING:
        return refund
    gateway_refund_id = get_gateway(refund.gateway).refund(
        refund.order, refund.amount_fen, refund.reference, refund.gateway_txn_id
    )
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund_id)
        # The gateway's callback may have finished the refund before its answer reached us.
        locked.gateway_refund_id = locked.gateway_refund_id or gateway_refund_id
        if locked.status == RefundStatus.PENDING:
            locked.status = RefundStatus.SUBMITTED
            locked.submitted_at = clock.now()
        locked.save(update_fields=["gateway_refund_id", "status", "submitted_at"])
        event_record(
            actor=None,
            subject=locked.order,
            action="refund.submit",
            after={"refund": locked.reference, "gateway_refund_id": locked.gateway_refund_id},
        )
    return locked
