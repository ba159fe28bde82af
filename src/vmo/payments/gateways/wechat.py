"""WeChat Pay API v3 through the maintained `wechatpayv3` SDK (direct merchant mode).

Requests are signed by the SDK (`Authorization: WECHATPAY2-SHA256-RSA2048 ...` with the office's
merchant key) and their answers verified against the platform certificates kept in `cert_dir`
(the SDK downloads a new one from /v3/certificates when a serial it does not know appears).
Callbacks are verified the same way, then their resource is decrypted (AES-256-GCM, APIv3 key).
Desktop payers get the native QR code (`code_url`) on our own page; no outside host is involved.
Phone payers get H5 payment (`/v3/pay/transactions/h5`): our form post is redirected to WeChat
Pay's `h5_url`, which opens the WeChat app; WeChat then sends the browser back to our return page.
"""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import json
import logging
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import qrcode
import requests
from django.core import signing
from django.urls import reverse
from qrcode.image.pure import PyPNGImage
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.core import Core

from vmo.core import clock
from vmo.core.money import yuan_to_fen

from .. import conf
from .base import (
    DESKTOP,
    Acknowledgement,
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

NAME = "wechat"
DEFAULT_API_BASE = "https://api.mch.weixin.qq.com"
# WeChat Pay's rule: a callback whose signed timestamp is more than five minutes off is a replay.
MAX_CLOCK_SKEW = timedelta(minutes=5)
NATIVE_SALT = "vmo.payments.wechat.native"
PAID_STATES = ("SUCCESS", "REFUND")  # REFUND: paid, then (partly) given back
PENDING_STATES = ("NOTPAY", "USERPAYING")


class _Core(Core):
    """The SDK's core with the API host from configuration: the SDK sets the real host in its
    constructor, which the local protocol servers of the tests (and a proxy) must replace."""

    def __init__(self, *, api_base: str, **kwargs: Any) -> None:
        self._api_base = api_base.rstrip("/")
        super().__init__(**kwargs)

    @property
    def _gate_way(self) -> str:
        return self._api_base

    @_gate_way.setter
    def _gate_way(self, value: str) -> None:
        pass  # the SDK's hard-coded host; ours stands


class _Client(WeChatPay):
    def __init__(self, *, api_base: str, mchid: str, appid: str, notify_url: str, **core: Any):
        # WeChatPay.__init__ does only this, with the stock Core.
        self._type = WeChatPayType.NATIVE
        self._mchid, self._appid, self._notify_url = mchid, appid, notify_url
        self._partner_mode = False
        self._core = _Core(api_base=api_base, mchid=mchid, **core)


def _settings() -> dict[str, Any]:
    config = conf.provider(NAME)
    missing = [
        key
        for key in ("mchid", "appid", "cert_serial_no", "private_key_path", "apiv3_key_path")
        if not config.get(key)
    ]
    if missing:
        raise GatewayError(f"WeChat Pay is not configured: {', '.join(missing)}")
    return config


def _client() -> _Client:
    config = _settings()
    try:
        return _Client(
            api_base=config.get("api_base") or DEFAULT_API_BASE,
            mchid=config["mchid"],
            appid=config["appid"],
            notify_url=conf.public_base_url() + reverse("payments:callback", args=[NAME]),
            cert_serial_no=config["cert_serial_no"],
            private_key=conf.read_secret(config["private_key_path"]),
            apiv3_key=conf.read_secret(config["apiv3_key_path"]),
            cert_dir=config.get("cert_dir") or None,
            timeout=(5, int(config.get("timeout", 10))),
        )
    except GatewayError:
        raise
    except Exception as exc:  # the SDK raises bare Exception (no platform certificate, ...)
        raise GatewayError(f"wechat: {exc}") from exc


def _call(method: str, *args: Any, **kwargs: Any) -> tuple[int, Any]:
    """One SDK call; unreachable, timed out, 5xx or an unverifiable answer is a GatewayError."""
    client = _client()
    try:
        code, message = getattr(client, method)(*args, **kwargs)
    except requests.RequestException as exc:
        raise GatewayError(f"wechat {method}: {type(exc).__name__}") from exc
    except Exception as exc:  # the SDK's "failed to verify the signature"
        raise GatewayError(f"wechat {method}: {exc}") from exc
    if code >= 500:
        raise GatewayError(f"wechat {method}: HTTP {code}")
    return code, message


def _json(message: Any) -> dict[str, Any]:
    try:
        data = json.loads(message) if message else {}
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("naive time")
    return moment


def _fen(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("amount must be integer fen")
    return value


def native_page_payload(token: str) -> dict[str, str]:
    """What our QR page shows, from the signed token in its URL (BadSignature if tampered)."""
    return signing.loads(token, salt=NATIVE_SALT, max_age=int(timedelta(days=1).total_seconds()))


def qr_png_data_uri(text: str) -> str:
    """The QR code of `code_url` as an inline PNG (the CSP allows data: images)."""
    image = qrcode.make(text, image_factory=PyPNGImage, box_size=6, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _start_h5(order_fields: dict[str, Any], return_url: str, payer: Payer) -> str:
    """H5 payment: WeChat Pay's page (`h5_url`) opens the WeChat app on the same phone; after
    paying (or giving up) WeChat sends the browser to `redirect_url`, our return page, which
    asks WeChat Pay what became of the order (the redirect says nothing of the outcome)."""
    # "Wap": a mobile web site (iOS and Android are for apps); the address WeChat Pay checks
    # against the one that opens h5_url, so it must be the payer's as seen by us.
    scene_info = {"payer_client_ip": payer.ip, "h5_info": {"type": "Wap"}}
    code, message = _call(
        "pay",
        **order_fields,
        scene_info=scene_info,
        pay_type=WeChatPayType.H5,
    )
    h5_url = str(_json(message).get("h5_url", ""))
    if code != 200 or not h5_url.startswith(("https://", "http://")):
        raise GatewayError(f"wechat h5 order: HTTP {code}")
    joiner = "&" if "?" in h5_url else "?"
    return f"{h5_url}{joiner}{urlencode({'redirect_url': return_url})}"


class WeChatPayGateway(Gateway):
    name = NAME
    phone_flow = True

    def acknowledgement(self, accepted: bool) -> Acknowledgement:
        # API v3: 200/204 means received; anything else (with a FAIL code) makes it send again.
        if accepted:
            return Acknowledgement(200, '{"code": "SUCCESS"}', "application/json")
        return Acknowledgement(500, '{"code": "FAIL", "message": "rejected"}', "application/json")

    def start(self, order: PaymentOrder, return_url: str, payer: Payer = DESKTOP) -> str:
        order_fields = {
            "description": order.description[:127],
            "out_trade_no": order.reference,
            "amount": {"total": order.amount_fen, "currency": "CNY"},
            "time_expire": clock.local(order.expires_at).isoformat(timespec="seconds"),
        }
        if payer.device == "phone":
            return _start_h5(order_fields, return_url, payer)
        code, message = _call("pay", **order_fields, pay_type=WeChatPayType.NATIVE)
        code_url = _json(message).get("code_url", "")
        if code != 200 or not code_url:
            raise GatewayError(f"wechat native order: HTTP {code}")
        token = signing.dumps(
            {"order": order.reference, "code_url": code_url, "return_url": return_url},
            salt=NATIVE_SALT,
        )
        return reverse("payments:wechat_native", args=[token])

    def query(self, order: PaymentOrder) -> GatewayStatus:
        code, message = _call("query", out_trade_no=order.reference)
        data = _json(message)
        if code == 404:
            return GatewayStatus(state="not_found")
        if code != 200 or data.get("mchid") != _settings()["mchid"]:
            raise GatewayError(f"wechat query: HTTP {code}")
        state = data.get("trade_state", "")
        if state in PAID_STATES:
            return GatewayStatus(
                state="paid",
                txn_id=str(data["transaction_id"]),
                amount_fen=_fen(data["amount"]["total"]),
                paid_at=_time(data["success_time"]),
            )
        return GatewayStatus(state="pending" if state in PENDING_STATES else "closed")

    def verify_notification(self, body: bytes, headers: Mapping[str, str]) -> Notification:
        client = _client()
        text = body.decode("utf-8", errors="replace")
        fields: dict[str, Any] = {"kind": "unknown"}
        try:
            signed = client._core._verify_signature(headers, text)
        except Exception:  # an unsupported Wechatpay-Signature-Type
            signed = False
        if not signed:
            raise NotificationError("bad_signature", fields=fields)
        stamp = _header(headers, "Wechatpay-Timestamp")
        if not stamp.isdigit() or abs(clock.now().timestamp() - int(stamp)) > (
            MAX_CLOCK_SKEW.total_seconds()
        ):
            raise NotificationError("stale", signature_valid=True, fields=fields)
        try:
            data = client.callback(headers, text)
        except Exception:
            data = None
        if not data or not isinstance(data.get("resource"), dict):
            raise NotificationError("undecryptable", signature_valid=True, fields=fields)
        resource = data["resource"]
        fields = _fields(str(data.get("event_type", "")), resource)
        if str(resource.get("mchid", "")) != _settings()["mchid"] or (
            "appid" in resource and resource["appid"] != _settings()["appid"]
        ):
            raise NotificationError("wrong_merchant", signature_valid=True, fields=fields)
        try:
            return _notification(str(data["event_type"]), resource)
        except (KeyError, TypeError, ValueError) as exc:
            raise NotificationError("malformed", signature_valid=True, fields=fields) from exc

    def refund(self, order: PaymentOrder, amount_fen: int, refund_id: str, txn_id: str) -> str:
        code, message = _call(
            "refund",
            out_refund_no=refund_id,
            amount={
                "refund": amount_fen,
                "total": _paid_total(order, amount_fen),
                "currency": "CNY",
            },
            transaction_id=txn_id,
        )
        data = _json(message)
        if code != 200 or not data.get("refund_id"):
            raise GatewayError(f"wechat refund: HTTP {code} {data.get('code', '')}")
        return str(data["refund_id"])

    def statement(self, day: date) -> list[StatementLine]:
        code, message = _call("trade_bill", bill_date=day.isoformat(), tar_type="GZIP")
        data = _json(message)
        if code != 200 or not data.get("download_url"):
            if data.get("code") == "NO_STATEMENT_EXIST":
                return []
            raise GatewayError(f"wechat trade bill: HTTP {code}")
        code, raw = _call("download_bill", data["download_url"])
        content = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
        if hashlib.sha1(content).hexdigest() != str(data.get("hash_value", "")).lower():  # noqa: S324 - WeChat's digest
            raise GatewayError("wechat trade bill: digest mismatch")
        return parse_trade_bill(content.decode("utf-8-sig"))

    def close(self, order: PaymentOrder) -> None:
        try:
            _call("close", out_trade_no=order.reference)
        except GatewayError:
            logger.warning("payments.wechat_close_failed order=%s", order.reference)


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = {key.lower(): value for key, value in headers.items()}
    return str(lowered.get(name.lower(), ""))


def _paid_total(order: PaymentOrder, amount_fen: int) -> int:
    # WeChat wants the original payment's total; a second payment was of the order's amount.
    return order.paid_amount_fen or order.amount_fen or amount_fen


def _fields(event: str, resource: dict[str, Any]) -> dict[str, Any]:
    refund = event.startswith("REFUND")
    amount = (resource.get("amount") or {}).get("refund" if refund else "total")
    return {
        "kind": "refund" if refund else "pay",
        "order_reference": str(resource.get("out_trade_no", ""))[:64],
        "txn_id": str(resource.get("refund_id" if refund else "transaction_id", ""))[:64],
        "refund_reference": str(resource.get("out_refund_no", ""))[:64],
        "amount_fen": amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
    }


def _notification(event: str, resource: dict[str, Any]) -> Notification:
    if event == "TRANSACTION.SUCCESS":
        if resource["trade_state"] != "SUCCESS":
            raise ValueError("not a success")
        return Notification(
            kind="pay",
            order_reference=str(resource["out_trade_no"]),
            txn_id=str(resource["transaction_id"]),
            amount_fen=_fen(resource["amount"]["total"]),
            occurred_at=_time(resource["success_time"]),
        )
    if event in ("REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED"):
        succeeded = event == "REFUND.SUCCESS" and resource["refund_status"] == "SUCCESS"
        return Notification(
            kind="refund",
            order_reference=str(resource["out_trade_no"]),
            txn_id=str(resource["refund_id"]),
            amount_fen=_fen(resource["amount"]["refund"]),
            occurred_at=_time(resource.get("success_time") or clock.now().isoformat()),
            refund_reference=str(resource["out_refund_no"]),
            refunded_txn_id=str(resource["transaction_id"]),
            succeeded=succeeded,
        )
    raise ValueError(f"unknown event {event!r}")


def _cell(value: str) -> str:
    return value.strip().lstrip("`")  # every cell of a WeChat bill starts with a backtick


def parse_trade_bill(text: str) -> list[StatementLine]:
    """The `ALL` trade bill: a header, one row per payment or refund, then a summary."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [_cell(name) for name in rows[0]]
    lines: list[StatementLine] = []
    for row in rows[1:]:
        if not row or not row[0].startswith("`"):
            break  # the summary block (总交易单数, ...) follows the detail rows
        cell = dict(zip(header, (_cell(value) for value in row), strict=False))
        at = datetime.strptime(cell["交易时间"], "%Y-%m-%d %H:%M:%S").replace(
            tzinfo=clock.OFFICE_TZ
        )
        if cell["交易状态"] == "REFUND":
            lines.append(
                StatementLine(
                    kind="refund",
                    order_reference=cell["商户订单号"],
                    txn_id=cell["微信退款单号"],
                    amount_fen=yuan_to_fen(cell["退款金额"]),
                    occurred_at=at,
                    refund_reference=cell["商户退款单号"],
                    refunded_txn_id=cell["微信订单号"],
                )
            )
        elif cell["交易状态"] == "SUCCESS":
            lines.append(
                StatementLine(
                    kind="pay",
                    order_reference=cell["商户订单号"],
                    txn_id=cell["微信订单号"],
                    amount_fen=yuan_to_fen(cell["应结订单金额"]),
                    occurred_at=at,
                )
            )
    return lines
