"""The sandbox payment service: a stand-in that behaves like Alipay / WeChat Pay / UnionPay.

It keeps its own records (sandbox_models), serves its own hosted payment page, signs its
callbacks with HMAC-SHA256 and sends them asynchronously, sometimes more than once and in no
particular order, and publishes a daily statement. Nothing here changes our orders directly:
everything reaches us through the signed callback, the active query or the statement.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import urllib.request
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse

from vmo.core import clock

from .. import conf
from ..choices import SandboxKind
from .base import (
    DESKTOP,
    Gateway,
    GatewayError,
    GatewayStatus,
    Notification,
    NotificationError,
    Payer,
    StatementLine,
)
from .sandbox_models import SandboxCheckout, SandboxNotice, SandboxTransaction

if TYPE_CHECKING:
    from ..models import PaymentOrder

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "x-sandbox-signature"
NAME = "sandbox"


def sign(body: bytes) -> str:
    return hmac.new(conf.sandbox_key(), body, hashlib.sha256).hexdigest()


def _day_range(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=clock.OFFICE_TZ)
    return start, start + timedelta(days=1)


def _new_txn_id(prefix: str) -> str:
    return f"{prefix}{clock.now():%Y%m%d%H%M%S}{secrets.randbelow(10**8):08d}"


class SandboxGateway(Gateway):
    name = NAME

    def start(self, order: PaymentOrder, return_url: str, payer: Payer = DESKTOP) -> str:
        checkout = SandboxCheckout.objects.create(
            token=secrets.token_urlsafe(32),
            order_reference=order.reference,
            amount_fen=order.amount_fen,
            description=order.description,
            return_url=return_url,
            created_at=clock.now(),
            expires_at=order.expires_at,
        )
        return reverse("payments:sandbox_pay", args=[checkout.token])

    def query(self, order: PaymentOrder) -> GatewayStatus:
        paid = (
            SandboxTransaction.objects.filter(order_reference=order.reference, kind=SandboxKind.PAY)
            .order_by("created_at", "id")
            .first()
        )
        if paid is not None:
            return GatewayStatus(
                state="paid",
                txn_id=paid.txn_id,
                amount_fen=paid.amount_fen,
                paid_at=paid.created_at,
            )
        checkouts = SandboxCheckout.objects.filter(order_reference=order.reference)
        if not checkouts.exists():
            return GatewayStatus(state="not_found")
        if checkouts.filter(closed_at__isnull=True).exists():
            return GatewayStatus(state="pending")
        return GatewayStatus(state="closed")

    def verify_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        lowered = {key.lower(): value for key, value in headers.items()}
        data = _parse(body)
        given = lowered.get(SIGNATURE_HEADER, "")
        if not given or not hmac.compare_digest(given, sign(body)):
            raise NotificationError("bad_signature", fields=notification_fields(data))
        try:
            return _notification_from(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise NotificationError(
                "malformed", signature_valid=True, fields=notification_fields(data)
            ) from exc

    def refund(self, order: PaymentOrder, amount_fen: int, refund_id: str, txn_id: str) -> str:
        with transaction.atomic():
            original = (
                SandboxTransaction.objects.select_for_update()
                .filter(txn_id=txn_id, kind=SandboxKind.PAY, order_reference=order.reference)
                .first()
            )
            if original is None:
                raise GatewayError(f"no payment {txn_id} for order {order.reference}")
            done = SandboxTransaction.objects.filter(refund_reference=refund_id).first()
            if done is not None:
                return done.txn_id  # the same refund asked again: carried out once
            refunded = original.refunds.aggregate(total=Sum("amount_fen"))["total"] or 0
            if amount_fen > original.amount_fen - refunded:
                raise GatewayError("refund exceeds the payment")
            refund = SandboxTransaction.objects.create(
                txn_id=_new_txn_id("SR"),
                kind=SandboxKind.REFUND,
                order_reference=order.reference,
                amount_fen=amount_fen,
                refund_of=original,
                refund_reference=refund_id,
                created_at=clock.now(),
            )
            notice_create(transaction_=refund)
            return refund.txn_id

    def statement(self, day: date) -> list[StatementLine]:
        start, end = _day_range(day)
        rows = SandboxTransaction.objects.filter(
            created_at__gte=start, created_at__lt=end
        ).select_related("refund_of")
        return [
            StatementLine(
                kind="pay" if row.kind == SandboxKind.PAY else "refund",
                order_reference=row.order_reference,
                txn_id=row.txn_id,
                amount_fen=row.amount_fen,
                occurred_at=row.created_at,
                refund_reference=row.refund_reference,
                refunded_txn_id=row.refund_of.txn_id if row.refund_of else "",
            )
            for row in rows.order_by("created_at", "id")
        ]

    def close(self, order: PaymentOrder) -> None:
        SandboxCheckout.objects.filter(
            order_reference=order.reference, closed_at__isnull=True, paid_at__isnull=True
        ).update(closed_at=clock.now())


def _parse(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _amount(value: Any) -> int:
    # Money is integer fen: a float or a string here means a broken or forged message.
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("amount must be integer fen")
    return value


def _notification_from(data: dict[str, Any]) -> Notification:
    event = data["event"]
    occurred_at = datetime.fromisoformat(data["time"])
    if occurred_at.tzinfo is None:
        raise ValueError("naive time")
    if event == "trade.success":
        return Notification(
            kind="pay",
            order_reference=str(data["out_trade_no"]),
            txn_id=str(data["trade_no"]),
            amount_fen=_amount(data["total_fee"]),
            occurred_at=occurred_at,
        )
    if event in ("refund.success", "refund.fail"):
        return Notification(
            kind="refund",
            order_reference=str(data["out_trade_no"]),
            txn_id=str(data["refund_no"]),
            amount_fen=_amount(data["refund_fee"]),
            occurred_at=occurred_at,
            refund_reference=str(data["out_refund_no"]),
            refunded_txn_id=str(data["trade_no"]),
            succeeded=event == "refund.success",
        )
    raise ValueError(f"unknown event {event!r}")


def notification_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """What can be read from a callback that failed checks, for the record (never trusted)."""
    event = str(fields.get("event", ""))
    amount = fields.get("refund_fee" if event.startswith("refund") else "total_fee")
    return {
        "kind": "refund" if event.startswith("refund") else ("pay" if event else "unknown"),
        "order_reference": str(fields.get("out_trade_no", ""))[:64],
        "txn_id": str(fields.get("refund_no" if event.startswith("refund") else "trade_no", ""))[
            :64
        ],
        "refund_reference": str(fields.get("out_refund_no", ""))[:64],
        "amount_fen": amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
    }


# --- The sandbox's own side: being paid on its hosted page, and sending callbacks. ---


def notice_body(txn: SandboxTransaction) -> bytes:
    data: dict[str, Any] = {
        "notify_id": secrets.token_hex(16),
        "out_trade_no": txn.order_reference,
        "time": clock.local(txn.created_at).isoformat(),
    }
    if txn.kind == SandboxKind.PAY:
        data.update(event="trade.success", trade_no=txn.txn_id, total_fee=txn.amount_fen)
    else:
        assert txn.refund_of is not None
        data.update(
            event="refund.success",
            trade_no=txn.refund_of.txn_id,
            refund_no=txn.txn_id,
            out_refund_no=txn.refund_reference,
            refund_fee=txn.amount_fen,
        )
    return json.dumps(data, ensure_ascii=False, sort_keys=True).encode()


def notice_create(*, transaction_: SandboxTransaction) -> SandboxNotice:
    """Write the callback owed (the outbox row), then queue its delivery after commit."""
    from .. import tasks

    body = notice_body(transaction_)
    notice = SandboxNotice.objects.create(
        transaction=transaction_,
        body=body.decode(),
        signature=sign(body),
        copies=conf.sandbox_duplicates(),
        created_at=clock.now(),
    )
    if notice.copies:
        transaction.on_commit(lambda: tasks.notify_deliver.delay(notice.pk))
    return notice


class CheckoutUnavailable(Exception):
    pass


def checkout_pay(*, token: str) -> SandboxCheckout:
    """The payer pressed "Pay" on the hosted page: take the money, owe us a callback."""
    with transaction.atomic():
        checkout = SandboxCheckout.objects.select_for_update().filter(token=token).first()
        now = clock.now()
        if checkout is None:
            raise CheckoutUnavailable("unknown")
        if checkout.paid_at or checkout.closed_at or checkout.expires_at <= now:
            raise CheckoutUnavailable("closed")
        txn = SandboxTransaction.objects.create(
            txn_id=_new_txn_id("ST"),
            kind=SandboxKind.PAY,
            checkout=checkout,
            order_reference=checkout.order_reference,
            amount_fen=checkout.amount_fen,
            created_at=now,
        )
        checkout.paid_at = now
        checkout.save(update_fields=["paid_at"])
        notice_create(transaction_=txn)
    return checkout


def checkout_cancel(*, token: str) -> SandboxCheckout | None:
    return SandboxCheckout.objects.filter(token=token).first()


# Like Alipay's asynchronous notifications: a callback we did not accept ("success") is sent
# again after these waits, then given up (the payer's return and our active query remain).
RESEND_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=4),
    timedelta(minutes=10),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=15),
)
# A first copy queued this long ago and never tried lost its task (a broker or database outage).
FIRST_SEND_GRACE = timedelta(minutes=1)


def notice_deliver_once(notice_id: int) -> Literal["done", "more", "failed"]:
    """Send one copy of a callback. In eager mode straight to our service, else over HTTP.
    One we did not accept is scheduled again per RESEND_AFTER (notices_resend sends it)."""
    notice = SandboxNotice.objects.filter(pk=notice_id).first()
    if notice is None or notice.deliveries >= notice.copies:
        return "done"
    body = notice.body.encode()
    headers = {"Content-Type": "application/json", "X-Sandbox-Signature": notice.signature}
    SandboxNotice.objects.filter(pk=notice.pk).update(attempts=F("attempts") + 1)
    try:
        accepted = _send(body, headers)
    except OSError as exc:
        accepted, error = False, str(exc)[:200]
    else:
        error = "" if accepted else "answered fail"
    if not accepted:
        tried = notice.attempts + 1
        again = clock.now() + RESEND_AFTER[tried - 1] if tried <= len(RESEND_AFTER) else None
        SandboxNotice.objects.filter(pk=notice.pk).update(last_error=error, next_attempt_at=again)
        return "failed"
    SandboxNotice.objects.filter(pk=notice.pk).update(
        deliveries=F("deliveries") + 1,
        delivered_at=notice.delivered_at or clock.now(),
        last_error="",
        next_attempt_at=None,
    )
    return "more" if notice.deliveries + 1 < notice.copies else "done"


def notices_due(*, limit: int = 100) -> list[int]:
    """Callbacks never accepted whose next try is due, and first copies that never went out
    (their task was lost to an outage). Oldest first."""
    now = clock.now()
    never_tried = Q(attempts=0, created_at__lte=now - FIRST_SEND_GRACE)
    return list(
        SandboxNotice.objects.filter(deliveries=0, copies__gt=0)
        .filter(Q(next_attempt_at__lte=now) | (never_tried & Q(next_attempt_at__isnull=True)))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def notices_resend(*, limit: int = 100) -> dict[str, int]:
    """The sandbox's re-send sweep (every minute from beat): each due callback is claimed (its
    next try moved on, compare-and-set, so two sweeps do not both send it) and sent once."""
    counts = {"sent": 0, "failed": 0}
    due = notices_due(limit=limit)
    planned = dict(SandboxNotice.objects.filter(pk__in=due).values_list("pk", "next_attempt_at"))
    for notice_id in due:
        # Taken only if its next try is still the one read: another sweep moved it otherwise.
        claimed = SandboxNotice.objects.filter(
            pk=notice_id, deliveries=0, next_attempt_at=planned.get(notice_id)
        ).update(next_attempt_at=clock.now() + FIRST_SEND_GRACE)
        if not claimed:
            continue
        result = notice_deliver_once(notice_id)
        counts["failed" if result == "failed" else "sent"] += 1
        if result == "more" and not conf.tasks_eager():
            from .. import tasks

            tasks.notify_deliver.apply_async((notice_id,), countdown=5)
        elif result == "more":
            while result == "more":
                result = notice_deliver_once(notice_id)
    return counts


def _send(body: bytes, headers: dict[str, str]) -> bool:
    if conf.tasks_eager():
        from ..services import notification_process

        record = notification_process(gateway=NAME, body=body, headers=headers)
        return not record.outcome.startswith(("rejected:", "failed:"))
    url = conf.public_base_url() + reverse("payments:callback", args=[NAME])
    if not url.startswith(("http://", "https://")):
        raise OSError(f"not an http URL: {url}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - scheme checked
        return response.read(64).strip() == b"success"
