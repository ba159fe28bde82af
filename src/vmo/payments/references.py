"""Order and refund numbers, and the order row lock every state change takes."""

from __future__ import annotations

import secrets

from vmo.core import clock

from .models import PaymentOrder

REFERENCE_ALPHABET = "0123456789"


def new_reference(prefix: str) -> str:
    """PO + date + 10 random digits: readable over the phone, unguessable enough."""
    tail = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))
    return f"{prefix}{clock.today():%Y%m%d}{tail}"


def lock_order(order: PaymentOrder) -> PaymentOrder:
    return PaymentOrder.objects.select_for_update().get(pk=order.pk)
