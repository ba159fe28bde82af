"""A local WeChat Pay API v3 server: it checks the merchant's request signatures, signs its
answers with the platform key, keeps orders and refunds, and sends callbacks signed and
encrypted as WeChat Pay does. It also plays the payer ("scan and pay" a code_url)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import re
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keys import WeChatKeys, cert_pem, rsa_sign, rsa_verify, serial_hex

SHANGHAI = ZoneInfo("Asia/Shanghai")
AUTH = re.compile(r'(\w+)="([^"]*)"')
H5_PAGE = "/cgi-bin/mmpayweb-bin/checkmweb"  # at wx.tenpay.com


def _now() -> str:
    return datetime.now(SHANGHAI).isoformat(timespec="seconds")


@dataclass
class WeChatPayServer:
    keys: WeChatKeys
    orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, int]] = field(default_factory=list)  # method, path, status
    # Faults to inject, by path prefix: "timeout" (no answer in time) or an HTTP status.
    faults: dict[str, list[Any]] = field(default_factory=dict)
    bill: bytes = b""
    delay: float = 15.0
    notify_on_pay: bool = True  # the H5 page sends the callback when the payer pays

    def start(self) -> WeChatPayServer:
        handler = type("Handler", (_Handler,), {"api": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- Signing as WeChat Pay signs ---------------------------------------------------------

    def signed_headers(self, body: str, *, timestamp: int | None = None) -> dict[str, str]:
        stamp, nonce = str(timestamp or int(time.time())), secrets.token_hex(16)
        return {
            "Wechatpay-Timestamp": stamp,
            "Wechatpay-Nonce": nonce,
            "Wechatpay-Serial": serial_hex(self.keys.platform_cert),
            "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
            "Wechatpay-Signature": rsa_sign(self.keys.platform_key, f"{stamp}\n{nonce}\n{body}\n"),
        }

    def encrypt(self, plain: str, associated_data: str) -> dict[str, str]:
        nonce = secrets.token_hex(6)  # 12 characters, used as bytes
        cipher = AESGCM(self.keys.apiv3_key.encode()).encrypt(
            nonce.encode(), plain.encode(), associated_data.encode()
        )
        return {
            "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": base64.b64encode(cipher).decode(),
            "associated_data": associated_data,
            "nonce": nonce,
        }

    def notification(
        self, event_type: str, resource: dict[str, Any], *, timestamp: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        kind = "transaction" if event_type.startswith("TRANSACTION") else "refund"
        body = json.dumps(
            {
                "id": secrets.token_hex(16),
                "create_time": _now(),
                "resource_type": "encrypt-resource",
                "event_type": event_type,
                "summary": "支付成功" if kind == "transaction" else "退款成功",
                "resource": self.encrypt(
                    json.dumps(resource, ensure_ascii=False), associated_data=kind
                )
                | {"original_type": kind},
            },
            ensure_ascii=False,
        )
        return body.encode(), self.signed_headers(body, timestamp=timestamp) | {
            "Content-Type": "application/json"
        }

    def send(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    # --- The payer ---------------------------------------------------------------------------

    def pay(self, out_trade_no: str, *, deliver: bool = False) -> tuple[bytes, dict[str, str]]:
        """The payer scans the code and pays: the order is paid and the callback is owed."""
        order = self.orders[out_trade_no]
        order.update(
            trade_state="SUCCESS",
            transaction_id=f"42000{int(time.time())}{secrets.randbelow(10**9):09d}",
            success_time=_now(),
        )
        body, headers = self.notification("TRANSACTION.SUCCESS", self.transaction(order))
        if deliver:
            order["delivered"] = self.send(order["notify_url"], body, headers)
        return body, headers

    def transaction(self, order: dict[str, Any]) -> dict[str, Any]:
        data = {
            key: order[key]
            for key in ("appid", "mchid", "out_trade_no", "trade_state", "amount")
            if key in order
        }
        data["trade_type"] = order.get("trade_type", "NATIVE")
        data["trade_state_desc"] = order["trade_state"]
        if order.get("transaction_id"):
            data |= {
                "transaction_id": order["transaction_id"],
                "success_time": order["success_time"],
                "bank_type": "OTHERS",
                "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
            }
        return data

    def order_by_prepay_id(self, prepay_id: str) -> str:
        return next(no for no, o in self.orders.items() if o.get("prepay_id") == prepay_id)

    def order_by_code_url(self, code_url: str) -> str:
        return next(no for no, order in self.orders.items() if order.get("code_url") == code_url)


class _Handler(BaseHTTPRequestHandler):
    api: WeChatPayServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
        pass

    def _answer(self, status: int, data: Any = None, *, raw: bytes | None = None) -> None:
        body = raw if raw is not None else (json.dumps(data).encode() if data is not None else b"")
        self.api.requests.append((self.command, self.path, status))
        self.send_response(status)
        if raw is None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in self.api.signed_headers(body.decode()).items():
                self.send_header(name, value)
        else:
            self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorized(self, body: str) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, params = header.partition(" ")
        values = dict(AUTH.findall(params))
        message = f"{self.command}\n{self.path}\n{values.get('timestamp')}\n"
        message += f"{values.get('nonce_str')}\n{body}\n"
        keys = self.api.keys
        return (
            scheme == "WECHATPAY2-SHA256-RSA2048"
            and values.get("mchid") == keys.mchid
            and values.get("serial_no") == serial_hex(keys.merchant_cert)
            and abs(time.time() - int(values.get("timestamp") or 0)) < 300
            and rsa_verify(keys.merchant_key.public_key(), message, values.get("signature", ""))
        )

    def do_GET(self) -> None:
        self._handle("")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length).decode())

    def _handle(self, body: str) -> None:
        for prefix, actions in self.api.faults.items():
            if self.path.startswith(prefix) and actions:
                action = actions.pop(0)
                if action == "timeout":
                    time.sleep(self.api.delay)
                    return self._answer(504, {"code": "SYSTEM_ERROR"})
                return self._answer(action, {"code": "SYSTEM_ERROR", "message": "系统错误"})
        if self.path.startswith(H5_PAGE):  # the payer's browser, not the merchant: unsigned
            return self._h5_page(body)
        if self.path.startswith("/v3/billdownload/"):
            return self._answer(200, raw=gzip.compress(self.api.bill))
        if not self.path.startswith("/v3/"):  # the payer's browser asking for /favicon.ico
            return self._page(404, "<p>404</p>")
        if not self._authorized(body):
            return self._answer(401, {"code": "SIGN_ERROR", "message": "签名错误"})
        path = urlsplit(self.path).path
        data = json.loads(body) if body else {}
        if path == "/v3/certificates":
            return self._answer(200, {"data": [self._certificate()]})
        if path == "/v3/pay/transactions/native":
            return self._create(data, "NATIVE")
        if path == "/v3/pay/transactions/h5":
            return self._create(data, "MWEB")
        match = re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)(/close)?", path)
        if match and match.group(2):
            if match.group(1) in self.api.orders:
                order = self.api.orders[match.group(1)]
                if order["trade_state"] == "NOTPAY":
                    order["trade_state"] = "CLOSED"
            return self._answer(204)
        if match:
            order = self.api.orders.get(match.group(1))
            if order is None:
                return self._answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
            return self._answer(200, self.api.transaction(order))
        if path == "/v3/refund/domestic/refunds":
            return self._refund(data)
        if path == "/v3/bill/tradebill":
            digest = hashlib.sha1(self.api.bill).hexdigest()  # noqa: S324 - WeChat's digest
            query = parse_qs(urlsplit(self.path).query)
            return self._answer(
                200,
                {
                    "hash_type": "SHA1",
                    "hash_value": digest,
                    "download_url": f"{self.api.url}/v3/billdownload/file?token="
                    + query["bill_date"][0],
                },
            )
        return self._answer(404, {"code": "NOT_FOUND"})

    def _certificate(self) -> dict[str, Any]:
        cert = self.api.keys.platform_cert
        return {
            "serial_no": serial_hex(cert),
            "effective_time": _now(),
            "expire_time": _now(),
            "encrypt_certificate": self.api.encrypt(cert_pem(cert), "certificate"),
        }

    def _create(self, data: dict[str, Any], trade_type: str) -> None:
        """/native answers a code_url to show as a QR code; /h5 an h5_url for the phone's
        browser, and wants scene_info with the payer's address and h5_info.type."""
        keys = self.api.keys
        if data.get("mchid") != keys.mchid or data.get("appid") != keys.appid:
            return self._answer(400, {"code": "PARAM_ERROR", "message": "mchid/appid"})
        total = (data.get("amount") or {}).get("total")
        if not isinstance(total, int) or total <= 0 or not data.get("notify_url"):
            return self._answer(400, {"code": "PARAM_ERROR", "message": "amount"})
        scene = data.get("scene_info") or {}
        if trade_type == "MWEB" and (
            not scene.get("payer_client_ip")
            or (scene.get("h5_info") or {}).get("type") not in ("iOS", "Android", "Wap")
        ):
            return self._answer(400, {"code": "PARAM_ERROR", "message": "scene_info"})
        no = data["out_trade_no"]
        existing = self.api.orders.get(no)
        if existing and existing["trade_state"] == "SUCCESS":
            return self._answer(400, {"code": "ORDERPAID", "message": "该订单已支付"})
        if existing is None:
            existing = self.api.orders[no] = {
                "appid": data["appid"],
                "mchid": data["mchid"],
                "out_trade_no": no,
                "trade_state": "NOTPAY",
                "amount": {"total": total, "payer_total": total, "currency": "CNY"},
                "notify_url": data["notify_url"],
            }
        existing["trade_type"] = trade_type
        if trade_type == "NATIVE":
            existing.setdefault(
                "code_url", f"weixin://wxpay/bizpayurl?pr={secrets.token_urlsafe(6)}"
            )
            return self._answer(200, {"code_url": existing["code_url"]})
        existing["scene_info"] = scene
        existing["prepay_id"] = f"wx{time.strftime('%d%H%M%S')}{secrets.token_hex(10)}"
        url = f"{self.api.url}{H5_PAGE}?prepay_id={existing['prepay_id']}&package=1405458241"
        self._answer(200, {"h5_url": url})

    def _h5_page(self, body: str) -> None:
        """WeChat Pay's H5 page in the phone's browser (it would open the WeChat app): a GET
        shows the order; the pay button (POST) pays it, sends the callback, and goes back to
        redirect_url, which says nothing of the outcome (the merchant asks)."""
        query = parse_qs(urlsplit(self.path).query)
        try:
            no = self.api.order_by_prepay_id(query["prepay_id"][0])
        except (KeyError, StopIteration):
            return self._page(400, "<p>商家参数格式有误，请联系商家解决</p>")
        redirect = query.get("redirect_url", [""])[0]
        if self.command == "POST":
            self.api.pay(no, deliver=self.api.notify_on_pay)
            self.send_response(302)
            self.send_header("Location", redirect)
            self.send_header("Content-Length", "0")
            return self.end_headers()
        order = self.api.orders[no]
        total = order["amount"]["total"]
        self._page(
            200,
            f"<h1>微信支付</h1><p>{html.escape(no)}</p><p>¥{total // 100}.{total % 100:02d}</p>"
            f'<form method="post" action="{html.escape(self.path)}">'
            '<button type="submit">确认支付</button></form>',
        )

    def _page(self, status: int, content: str) -> None:
        page = f'<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><main>{content}</main>'
        self.api.requests.append((self.command, self.path, status))
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page.encode())))
        self.end_headers()
        self.wfile.write(page.encode())

    def _refund(self, data: dict[str, Any]) -> None:
        key = data.get("out_refund_no", "")
        if key in self.api.refunds:  # the same refund asked again: carried out once
            return self._answer(200, self.api.refunds[key]["answer"])
        order = next(
            (
                o
                for o in self.api.orders.values()
                if o.get("transaction_id") == data.get("transaction_id")
            ),
            None,
        )
        amount = data.get("amount") or {}
        if order is None:
            return self._answer(404, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"})
        if amount.get("refund", 0) > amount.get("total", 0):
            return self._answer(400, {"code": "INVALID_REQUEST", "message": "退款金额"})
        refund_id = f"50300{secrets.randbelow(10**12):012d}"
        resource = {
            "mchid": self.api.keys.mchid,
            "out_trade_no": order["out_trade_no"],
            "transaction_id": order["transaction_id"],
            "out_refund_no": key,
            "refund_id": refund_id,
            "refund_status": "SUCCESS",
            "success_time": _now(),
            "amount": {
                "total": amount["total"],
                "refund": amount["refund"],
                "payer_total": amount["total"],
                "payer_refund": amount["refund"],
            },
        }
        answer = {k: resource[k] for k in ("refund_id", "out_refund_no", "transaction_id")}
        answer |= {"status": "PROCESSING", "create_time": _now(), "amount": resource["amount"]}
        self.api.refunds[key] = {
            "answer": answer,
            "resource": resource,
            "notify_url": data.get("notify_url"),
        }
        self._answer(200, answer)

    # The refund's callback is sent by the test (refund_notification), after our answer.


def refund_notification(api: WeChatPayServer, out_refund_no: str) -> tuple[bytes, dict[str, str]]:
    return api.notification("REFUND.SUCCESS", api.refunds[out_refund_no]["resource"])
