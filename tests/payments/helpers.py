"""Building sandbox callbacks by hand, to send them in any order, forged or replayed."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from vmo.core import clock
from vmo.core.selectors import events_for
from vmo.core.services import event_record
from vmo.payments import services
from vmo.payments.gateways.sandbox import sign
from vmo.payments.hooks import on_paid, on_refunded

PURPOSE = "test.fine"
SUBJECT_TYPE = "tests.fine"


@on_paid(PURPOSE)
def fine_paid(*, order) -> None:
    # A database row, not a list in memory: the storm test's other processes must be counted too.
    event_record(actor=None, subject=order, action="test.hook_paid")


@on_refunded(PURPOSE)
def fine_refunded(*, order, refund) -> None:
    event_record(
        actor=None, subject=order, action="test.hook_refunded", after={"refund": refund.reference}
    )


def hook_runs(order, action: str = "test.hook_paid") -> int:
    return events_for(order).filter(action=action).count()


def make_order(payer, *, subject_id: str = "1", amount_fen: int = 20000, **kwargs: Any):
    return services.order_create(
        payer=payer,
        purpose=kwargs.pop("purpose", PURPOSE),
        subject_type=SUBJECT_TYPE,
        subject_id=subject_id,
        amount_fen=amount_fen,
        description=kwargs.pop("description", "交通违法罚款 新B12345"),
        **kwargs,
    )


def pay_body(
    order, *, txn_id: str, amount_fen: int | None = None, at: datetime | None = None
) -> bytes:
    data = {
        "notify_id": f"n-{txn_id}",
        "event": "trade.success",
        "out_trade_no": order.reference,
        "trade_no": txn_id,
        "total_fee": order.amount_fen if amount_fen is None else amount_fen,
        "time": (at or clock.now()).isoformat(),
    }
    return json.dumps(data, sort_keys=True).encode()


def refund_body(
    order, refund, *, refund_no: str, amount_fen: int | None = None, ok: bool = True
) -> bytes:
    data = {
        "notify_id": f"n-{refund_no}",
        "event": "refund.success" if ok else "refund.fail",
        "out_trade_no": order.reference,
        "trade_no": refund.gateway_txn_id,
        "refund_no": refund_no,
        "out_refund_no": refund.reference,
        "refund_fee": refund.amount_fen if amount_fen is None else amount_fen,
        "time": clock.now().isoformat(),
    }
    return json.dumps(data, sort_keys=True).encode()


def signed(body: bytes) -> dict[str, str]:
    return {"X-Sandbox-Signature": sign(body)}


def deliver(body: bytes, headers: dict[str, str] | None = None):
    return services.notification_process(
        gateway="sandbox", body=body, headers=signed(body) if headers is None else headers
    )
