"""Alipay open platform (public-key mode, RSA2) through the maintained `python-alipay-sdk`.

The SDK signs every request with the office's application key (sorted parameters, RSA2) and
verifies every answer and callback with the Alipay public key the office downloaded. Desktop
payers are sent to Alipay's cashier (`alipay.trade.page.pay`, a signed redirect: the host is in
the CSP `form-action`), phone payers to its phone cashier (`alipay.trade.wap.pay`, the same
way). Refunds are synchronous at Alipay; their result reaches us through the trade's
asynchronous notification (with `out_biz_no` = our refund number), like a payment's.
That notification's `refund_fee` is the trade's refunded total so far, not this request's
amount, so the amount of the refund it reports is read from the refund query
(`alipay.trade.fastpay.refund.query` by `out_request_no`, a signed answer).
"""

from __future__ import annotations

import csv
import io
import logging
import urllib.request
import zipfile
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig
from django.urls import reverse

from vmo.core import clock
from vmo.core.money import format_fen, yuan_to_fen

from .. import conf
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

if TYPE_CHECKING:
    from ..models import PaymentOrder

logger = logging.getLogger(__name__)

NAME = "alipay"
DEFAULT_GATEWAY_URL = "https://openapi.alipay.com/gateway.do"
PAID_STATES = ("TRADE_SUCCESS", "TRADE_FINISHED")
UNPAID_STATES = ("WAIT_BUYER_PAY", "TRADE_CLOSED")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
REFUND_TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"  # gmt_refund carries milliseconds
SUCCESS = "10000"


class _Client(AliPay):
    """The SDK's client with the gateway URL from configuration (it picks one of two hosts)."""

    def __init__(self, *, gateway_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gateway = gateway_url


def _settings() -> dict[str, Any]:
    config = conf.provider(NAME)
    missing = [
        key
        for key in ("app_id", "app_private_key_path", "alipay_public_key_path")
        if not config.get(key)
    ]
    if missing:
        raise GatewayError(f"Alipay is not configured: {', '.join(missing)}")
    return config


def gateway_url() -> str:
    return str(conf.provider(NAME).get("gateway_url") or DEFAULT_GATEWAY_URL)


def _client() -> _Client:
    config = _settings()
    try:
        return _Client(
            gateway_url=gateway_url(),
            appid=config["app_id"],
            app_notify_url=conf.public_base_url() + reverse("payments:callback", args=[NAME]),
            app_private_key_string=conf.read_secret(config["app_private_key_path"]),
            alipay_public_key_string=conf.read_secret(config["alipay_public_key_path"]),
            sign_type="RSA2",
            config=AliPayConfig(timeout=int(config.get("timeout", 10))),
        )
    except (OSError, ValueError) as exc:
        raise GatewayError(f"alipay keys: {exc}") from exc


def _call(method: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """One signed API call; unreachable, timed out, 5xx, unsigned or forged is a GatewayError."""
    try:
        result = getattr(_client(), method)(*args, **kwargs)
    except (OSError, AliPayException, AliPayValidationError, ValueError) as exc:
        raise GatewayError(f"alipay {method}: {type(exc).__name__} {str(exc)[:200]}") from exc
    if not isinstance(result, dict):
        raise GatewayError(f"alipay {method}: unreadable answer")
    if result.get("code") == "20000":  # service unavailable: Alipay asks to try again
        raise GatewayError(f"alipay {method}: {result.get('sub_code', 'unavailable')}")
    return result


def _yuan(amount_fen: int) -> str:
    return format_fen(amount_fen, symbol=False).replace(",", "")


def _time(value: str) -> datetime:
    form = REFUND_TIME_FORMAT if "." in value else TIME_FORMAT
    return datetime.strptime(value, form).replace(tzinfo=clock.OFFICE_TZ)


def _quit_url(order: PaymentOrder) -> str:
    return conf.public_base_url() + reverse("payments:order_detail", args=[order.reference])


class AlipayGateway(Gateway):
    name = NAME
    phone_flow = True
    ack_success = "success"
    ack_failure = "fail"

    def start(self, order: PaymentOrder, return_url: str, payer: Payer = DESKTOP) -> str:
        fields = {
            "subject": order.description[:256],
            "out_trade_no": order.reference,
            "total_amount": _yuan(order.amount_fen),
            "return_url": return_url,
            "time_expire": clock.local(order.expires_at).strftime(TIME_FORMAT),
        }
        if payer.device == "phone":
            # The phone cashier. Its product code is QUICK_WAP_WAY (the SDK writes
            # QUICK_WAP_PAY, which Alipay refuses); quit_url is where "back" leads mid-payment.
            query = _client().api_alipay_trade_wap_pay(
                **fields,
                product_code="QUICK_WAP_WAY",
                quit_url=_quit_url(order),
            )
        else:
            query = _client().api_alipay_trade_page_pay(**fields)
        return f"{gateway_url()}?{query}"

    def query(self, order: PaymentOrder) -> GatewayStatus:
        data = _call("api_alipay_trade_query", out_trade_no=order.reference)
        if data.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
            return GatewayStatus(state="not_found")
        if data.get("code") != SUCCESS:
            raise GatewayError(f"alipay query: {data.get('sub_code', data.get('code'))}")
        state = data.get("trade_status", "")
        if state in PAID_STATES:
            return GatewayStatus(
                state="paid",
                txn_id=str(data["trade_no"]),
                amount_fen=yuan_to_fen(data["total_amount"]),
                paid_at=_time(data["send_pay_date"]) if data.get("send_pay_date") else None,
            )
        return GatewayStatus(state="pending" if state == "WAIT_BUYER_PAY" else "closed")

    def verify_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        try:
            data = dict(
                parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
            )
        except (UnicodeDecodeError, ValueError):
            data = {}
        fields = notification_fields(data)
        # Alipay signs the parameters that have a value: an empty one is not in the string.
        data = {key: value for key, value in data.items() if value != ""}
        signature = data.pop("sign", "")
        if data.get("sign_type") != "RSA2" or not signature:
            raise NotificationError("bad_signature", fields=fields)
        try:
            valid = _client().verify(dict(data), signature)
        except (AliPayException, ValueError, TypeError):
            valid = False
        if not valid:
            raise NotificationError("bad_signature", fields=fields)
        if data.get("app_id") != _settings()["app_id"] or (
            _settings().get("seller_id") and data.get("seller_id") != _settings()["seller_id"]
        ):
            raise NotificationError("wrong_merchant", signature_valid=True, fields=fields)
        if not data.get("out_biz_no") and data.get("trade_status") in UNPAID_STATES:
            # Alipay notifies a trade closed unpaid (expired, closed by us) too: received.
            raise NotificationError(
                "not_paid", signature_valid=True, fields=fields, acknowledge=True
            )
        try:
            note = _notification(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise NotificationError("malformed", signature_valid=True, fields=fields) from exc
        return _confirmed_refund(note, fields) if note.kind == "refund" else note

    def refund(self, order: PaymentOrder, amount_fen: int, refund_id: str, txn_id: str) -> str:
        # out_request_no makes the request idempotent: asked again, Alipay refunds once.
        data = _call(
            "api_alipay_trade_refund",
            refund_amount=_yuan(amount_fen),
            trade_no=txn_id,
            out_request_no=refund_id,
        )
        if data.get("code") != SUCCESS:
            raise GatewayError(f"alipay refund: {data.get('sub_code', data.get('code'))}")
        return refund_txn_id(txn_id, refund_id)

    def statement(self, day: date) -> list[StatementLine]:
        data = _call(
            "server_api",
            "alipay.data.dataservice.bill.downloadurl.query",
            {"bill_type": "trade", "bill_date": day.isoformat()},
        )
        if data.get("sub_code") == "isp.bill_not_exist":
            return []
        url = str(data.get("bill_download_url", ""))
        if data.get("code") != SUCCESS or not url.startswith(("http://", "https://")):
            raise GatewayError(f"alipay bill: {data.get('sub_code', data.get('code'))}")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - scheme checked
                archive = response.read()
            return parse_bill_archive(archive)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise GatewayError(f"alipay bill download: {type(exc).__name__}") from exc

    def close(self, order: PaymentOrder) -> None:
        try:
            _call("api_alipay_trade_close", out_trade_no=order.reference)
        except GatewayError:
            logger.warning("payments.alipay_close_failed order=%s", order.reference)


def refund_txn_id(trade_no: str, refund_reference: str) -> str:
    # Alipay numbers no refund: the trade and our request number name it.
    return f"{trade_no}:{refund_reference}"[:64]


def _confirmed_refund(note: Notification, fields: dict[str, Any]) -> Notification:
    """The refund's own amount, from Alipay's signed answer to the refund query; a refund it
    does not report as done is refused for now (answered `fail`, so Alipay sends it again)."""
    try:
        data = _call(
            "api_alipay_trade_fastpay_refund_query",
            out_request_no=note.refund_reference,
            trade_no=note.refunded_txn_id,
        )
    except GatewayError as exc:
        raise NotificationError("unconfirmed", signature_valid=True, fields=fields) from exc
    if (
        data.get("code") != SUCCESS
        or data.get("refund_status") != "REFUND_SUCCESS"
        or data.get("out_request_no") != note.refund_reference
        or data.get("out_trade_no") != note.order_reference
    ):
        raise NotificationError("unconfirmed", signature_valid=True, fields=fields)
    try:
        amount = yuan_to_fen(data["refund_amount"])
    except (KeyError, ValueError) as exc:
        raise NotificationError("malformed", signature_valid=True, fields=fields) from exc
    return replace(note, amount_fen=amount)


def _notification(data: dict[str, str]) -> Notification:
    if data.get("out_biz_no") and data.get("gmt_refund"):
        return Notification(
            kind="refund",
            order_reference=data["out_trade_no"],
            txn_id=refund_txn_id(data["trade_no"], data["out_biz_no"]),
            amount_fen=0,  # refund_fee is the trade's total: _confirmed_refund reads this one's
            occurred_at=_time(data["gmt_refund"]),
            refund_reference=data["out_biz_no"],
            refunded_txn_id=data["trade_no"],
        )
    if data["trade_status"] not in PAID_STATES:
        raise ValueError(f"not paid: {data['trade_status']}")
    return Notification(
        kind="pay",
        order_reference=data["out_trade_no"],
        txn_id=data["trade_no"],
        amount_fen=yuan_to_fen(data["total_amount"]),
        occurred_at=_time(data.get("gmt_payment") or data["notify_time"]),
    )


def notification_fields(data: Mapping[str, str]) -> dict[str, Any]:
    """What can be read from a callback that failed checks, for the record (never trusted)."""
    refund = bool(data.get("out_biz_no"))
    try:
        # A refund notice names no amount of its own (refund_fee is the trade's total).
        amount: int | None = None if refund else yuan_to_fen(data.get("total_amount", ""))
    except ValueError:
        amount = None
    return {
        "kind": ("refund" if refund else "pay") if data else "unknown",
        "order_reference": str(data.get("out_trade_no", ""))[:64],
        "txn_id": str(data.get("trade_no", ""))[:64],
        "refund_reference": str(data.get("out_biz_no", ""))[:64],
        "amount_fen": amount,
    }


def parse_bill_archive(archive: bytes) -> list[StatementLine]:
    """The trade bill: a zip of GBK CSVs; the detail file (…_业务明细.csv) lists each line."""
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        name = next(n for n in bundle.namelist() if n.endswith("业务明细.csv"))
        text = bundle.read(name).decode("gbk")
    rows = [row for row in csv.reader(io.StringIO(text)) if row]
    start = next(i for i, row in enumerate(rows) if row[0].strip() == "支付宝交易号")
    header = [cell.strip() for cell in rows[start]]
    lines: list[StatementLine] = []
    for row in rows[start + 1 :]:
        if row[0].startswith("#"):
            break  # the totals follow the detail rows
        cell = dict(zip(header, (value.strip() for value in row), strict=False))
        amount = abs(yuan_to_fen(cell["订单金额（元）"]))
        at = _time(cell["完成时间"])
        if cell["业务类型"] == "退款":
            reference = cell["退款批次号/请求号"]
            lines.append(
                StatementLine(
                    kind="refund",
                    order_reference=cell["商户订单号"],
                    txn_id=refund_txn_id(cell["支付宝交易号"], reference),
                    amount_fen=amount,
                    occurred_at=at,
                    refund_reference=reference,
                    refunded_txn_id=cell["支付宝交易号"],
                )
            )
        elif cell["业务类型"] == "交易":
            lines.append(
                StatementLine(
                    kind="pay",
                    order_reference=cell["商户订单号"],
                    txn_id=cell["支付宝交易号"],
                    amount_fen=amount,
                    occurred_at=at,
                )
            )
    return lines
