"""Every write of payments: orders, crediting from callbacks and queries, refunds.

Order states change only here, under a row lock on the order, so that twenty copies of one
callback arriving at once credit it once. Gateways are called outside our transactions (no
database connection held while talking to a provider).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.phrases import Phrase
from vmo.core.services import event_record
from vmo.notices import values

from . import conf
from .choices import (
    PAYABLE_STATUSES,
    SETTLED_STATUSES,
    OrderStatus,
)
from .crediting import _credit, notification_process
from .gateways import default_gateway_name, get_gateway
from .gateways.base import DESKTOP, GatewayError, Payer
from .models import PaymentOrder
from .reconciliation import discrepancy_resolve, reconcile
from .references import lock_order as _lock
from .references import new_reference
from .refunds import refund_create, refund_submit, refundable_fen

if TYPE_CHECKING:
    # payments sits below accounts: any user model of the project.
    from vmo.accounts.models import User

__all__ = [
    "discrepancy_resolve",
    "notification_process",
    "order_close",
    "order_create",
    "order_refresh",
    "order_start",
    "orders_expire",
    "orders_query_pending",
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


def _close(order: PaymentOrder, *, actor: User | None, reason: str) -> None:
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
    already paid returns its paid order: the caller sees it settled and asks no money.

    A description made as a Phrase is kept as data too, so each reader reads it in their
    language; the gateway is sent it in the office's language."""
    description_values = ""
    if isinstance(description, Phrase):
        description_values = values.encode({"description": description})
        with translation.override(settings.LANGUAGE_CODE):
            description = description.again()
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
                    description_values=description_values,
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


def order_start(
    *, order: PaymentOrder, return_url: str, gateway: str | None = None, payer: Payer = DESKTOP
) -> str:
    """Send the payer to the gateway; the URL of its payment page (its phone flow's for a
    payer on a phone, where it has one)."""
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
            after={"status": locked.status, "gateway": name, "device": payer.device},
        )
    return adapter.start(locked, return_url, payer)


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
def order_close(*, order: PaymentOrder, actor: User | None, reason: str) -> PaymentOrder:
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


# An order still pending this long after it was made is asked about: its callback may be lost.
QUERY_PENDING_AFTER = timedelta(minutes=3)
QUERY_PENDING_LIMIT = 200


def orders_query_pending(*, now: datetime | None = None) -> int:
    """Ask the gateway about orders left pending past QUERY_PENDING_AFTER and not yet expired
    (every two minutes from beat), so that a paid fine turns paid though its callbacks were lost
    and the payer never comes back. Returns how many turned paid."""
    now = now or clock.now()
    pending = PaymentOrder.objects.filter(
        status=OrderStatus.PENDING, created_at__lte=now - QUERY_PENDING_AFTER, expires_at__gt=now
    ).exclude(gateway="")
    paid = 0
    for order in pending.order_by("created_at")[:QUERY_PENDING_LIMIT]:
        try:
            refreshed = order_refresh(order=order)
        except GatewayError as exc:
            logger.warning("payments.query_failed order=%s error=%s", order.reference, exc)
            continue
        paid += refreshed.status not in PAYABLE_STATUSES
    return paid
