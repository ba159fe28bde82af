"""Where business apps plug in, so that payments needs no business knowledge.

    from vmo.payments.hooks import on_paid

    @on_paid("fine")
    def fine_paid(*, order): ...

A paid handler runs INSIDE the transaction that credits the order: the fine is marked paid
atomically with the order, and if the handler raises, nothing is credited and the gateway is
told to send the callback again. Register in AppConfig.ready() so workers have them too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .models import PaymentOrder, Refund


# Handlers are services of the business apps, keyword-only like every service, so they are
# called with keywords.
class PaidHandler(Protocol):
    def __call__(self, *, order: PaymentOrder) -> Any: ...


class RefundedHandler(Protocol):
    def __call__(self, *, order: PaymentOrder, refund: Refund) -> Any: ...


# Keyed by the handler's dotted name, so importing a module twice registers it once.
_paid: dict[str, dict[str, PaidHandler]] = defaultdict(dict)
_refunded: dict[str, dict[str, RefundedHandler]] = defaultdict(dict)


def _key(handler: Callable[..., Any]) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def on_paid(purpose: str) -> Callable[[PaidHandler], PaidHandler]:
    """handler(order=...) runs once when an order of this purpose is credited."""

    def register(handler: PaidHandler) -> PaidHandler:
        _paid[purpose][_key(handler)] = handler
        return handler

    return register


def on_refunded(purpose: str) -> Callable[[RefundedHandler], RefundedHandler]:
    """handler(order=..., refund=...) runs once when a refund of such an order has gone
    through."""

    def register(handler: RefundedHandler) -> RefundedHandler:
        _refunded[purpose][_key(handler)] = handler
        return handler

    return register


def run_paid(order: PaymentOrder) -> None:
    for handler in list(_paid.get(order.purpose, {}).values()):
        handler(order=order)


def run_refunded(order: PaymentOrder, refund: Refund) -> None:
    for handler in list(_refunded.get(order.purpose, {}).values()):
        handler(order=order, refund=refund)
