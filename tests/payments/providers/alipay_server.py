"""A local Alipay open-platform gateway (public-key mode, RSA2): it checks the application's
signature on every request (sorted `k=v` pairs without `sign`, empty values left out), answers
in Alipay's JSON shape signed with Alipay's key over the exact text of the `*_response` object,
keeps trades and refunds, serves the trade bill, and sends asynchronous notifications signed as
Alipay signs them (sorted pairs without `sign` and `sign_type`, form-encoded POST). It also
plays the payer who pays at the cashier."""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

from .alipay_cashier import cashier_page, return_location, sign_content
from .keys import AlipayKeys, rsa_sign, rsa_verify

SHANGHAI = ZoneInfo("Asia/Shanghai")
SECONDS = "%Y-%m-%d %H:%M:%S"


def _now(millis: bool = False) -> str:
    moment = datetime.now(SHANGHAI)
    text = moment.strftime(SECONDS)
    return f"{text}.{moment.microsecond // 1000:03d}" if millis else text


def _yuan(value: Decimal) -> str:
    return f"{value:.2f}"


@dataclass
class AlipayServer:
    keys: AlipayKeys
    trades: dict[str, dict[str, Any]] = field(default_factory=dict)  # by out_trade_no
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)  # by out_request_no
    requests: list[tuple[str, str]] = field(default_factory=list)  # API method, answer code
    # Faults to inject, by API method: "timeout" (no answer in time), "late" (carried out,
    # then answered after the client gave up) or an HTTP status.
    faults: dict[str, list[Any]] = field(default_factory=dict)
    bills: dict[str, bytes] = field(default_factory=dict)  # by bill_date: the zip
    notify_on_pay: bool = True  # the cashier sends the notification when the payer pays
    delay: float = 15.0

    def start(self) -> AlipayServer:
        handler = type("Handler", (_Handler,), {"api": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    @property
    def gateway_url(self) -> str:
        return f"{self.url}/gateway.do"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- Signing as Alipay signs -------------------------------------------------------------

    def signed_answer(self, method: str, data: dict[str, Any], *, signed: bool = True) -> bytes:
        inner = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        key = method.replace(".", "_") + "_response"
        if not signed:  # Alipay does not sign the answer to a request it could not verify
            return f'{{"{key}":{inner}}}'.encode()
        sign = rsa_sign(self.keys.alipay_key, inner)
        return f'{{"{key}":{inner},"sign":"{sign}"}}'.encode()

    def notification(self, params: dict[str, str]) -> tuple[bytes, dict[str, str]]:
        """An asynchronous notification: the parameters, signed, form-encoded as Alipay POSTs."""
        params = dict(params)
        params["sign"] = rsa_sign(
            self.keys.alipay_key, sign_content(params, exclude=("sign", "sign_type"))
        )
        body = urlencode(params).encode()
        return body, {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}

    def _common(self, trade: dict[str, Any]) -> dict[str, str]:
        return {
            "notify_time": _now(),
            "notify_type": "trade_status_sync",
            "notify_id": secrets.token_hex(16),
            "charset": "utf-8",
            "version": "1.0",
            "sign_type": "RSA2",
            "app_id": self.keys.app_id,
            "seller_id": self.keys.seller_id,
            "seller_email": "office@example.cn",
            "buyer_id": "2088102177846880",
            "buyer_logon_id": "159****5620",
            "auth_app_id": self.keys.app_id,
            "trade_no": trade["trade_no"],
            "out_trade_no": trade["out_trade_no"],
            "subject": trade["subject"],
            "total_amount": _yuan(trade["total_amount"]),
            "receipt_amount": _yuan(trade["total_amount"]),
            "buyer_pay_amount": _yuan(trade["total_amount"]),
            "invoice_amount": _yuan(trade["total_amount"]),
            "point_amount": "0.00",
            "fund_bill_list": json.dumps(
                [{"amount": _yuan(trade["total_amount"]), "fundChannel": "ALIPAYACCOUNT"}]
            ),
            "gmt_create": trade["gmt_create"],
            "gmt_payment": trade["gmt_payment"],
            "trade_status": trade["trade_status"],
        }

    def pay_notification(self, out_trade_no: str) -> tuple[bytes, dict[str, str]]:
        """The trade_status_sync notification of a paid trade (a new notify_id each time)."""
        return self.notification(self._common(self.trades[out_trade_no]))

    def refund_notification(self, out_request_no: str) -> tuple[bytes, dict[str, str]]:
        """After a refund: the trade's notification again, with the refund's fields. As Alipay
        sends it, `refund_fee` is the trade's whole refunded amount so far, not this request's."""
        refund = self.refunds[out_request_no]
        trade = self.trades[refund["out_trade_no"]]
        params = self._common(trade) | {
            "out_biz_no": out_request_no,
            "refund_fee": _yuan(refund["refund_fee_after"]),
            "gmt_refund": refund["gmt_refund"],
            "trade_status": refund["trade_status_after"],
        }
        return self.notification(params)

    def send(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    # --- The payer ---------------------------------------------------------------------------

    def pay(self, out_trade_no: str, *, deliver: bool = False) -> tuple[bytes, dict[str, str]]:
        """The payer pays at the cashier: the trade is paid and its notification is owed."""
        trade = self.trades[out_trade_no]
        trade.update(
            trade_status="TRADE_SUCCESS",
            trade_no=time.strftime("%Y%m%d") + f"2200140{secrets.randbelow(10**13):013d}",
            gmt_payment=_now(),
        )
        body, headers = self.pay_notification(out_trade_no)
        if deliver:
            trade["delivered"] = self.send(trade["notify_url"], body, headers)
        return body, headers

    def trade_by_no(self, trade_no: str) -> dict[str, Any] | None:
        return next((t for t in self.trades.values() if t.get("trade_no") == trade_no), None)


class _Handler(BaseHTTPRequestHandler):
    api: AlipayServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting ("late", "timeout")

    def _answer(self, method: str, data: dict[str, Any], *, signed: bool = True) -> None:
        self.api.requests.append((method, str(data.get("code", ""))))
        body = self.api.signed_answer(method, data, signed=signed)
        if getattr(self, "late", False):
            time.sleep(self.api.delay)
        self._send(200, body, "text/html;charset=utf-8")  # what Alipay's gateway says it is

    def do_GET(self) -> None:
        self._handle(b"")

    def do_POST(self) -> None:
        self._handle(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _handle(self, body: bytes) -> None:
        url = urlsplit(self.path)
        if url.path.startswith("/bill/"):
            day = url.path.removeprefix("/bill/").removesuffix(".zip")
            return self._send(200, self.api.bills[day], "application/zip")
        if url.path.startswith("/cashier/") and self.command == "POST":  # the pay button
            no = url.path.removeprefix("/cashier/")
            self.api.pay(no, deliver=self.api.notify_on_pay)
            self.send_response(302)
            self.send_header("Location", return_location(self.api, no))
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if url.path != "/gateway.do":
            return self._send(404, b"not found", "text/plain")
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        params |= dict(parse_qsl(body.decode(), keep_blank_values=True))
        method = params.get("method", "")
        actions = self.api.faults.get(method)
        if actions and actions[0] == "late":
            self.late = bool(actions.pop(0))
        elif actions and actions[0] == 20000:  # signed "service currently unavailable"
            actions.pop(0)
            error = _error("20000", "isp.unknow-error", "系统繁忙")
            return self._answer(method, error | {"msg": "Service Currently Unavailable"})
        elif actions:
            action = actions.pop(0)
            if action == "timeout":
                time.sleep(self.api.delay)
            self.api.requests.append((method, str(action)))
            return self._send(
                502 if action == "timeout" else action, b"<html>error</html>", "text/html"
            )
        problem = self._check(params)
        if problem:
            return self._answer(method, problem, signed=False)
        biz = json.loads(params.get("biz_content") or "{}")
        handler = {
            "alipay.trade.page.pay": self._page_pay,
            "alipay.trade.wap.pay": self._page_pay,
            "alipay.trade.query": self._query,
            "alipay.trade.refund": self._refund,
            "alipay.trade.fastpay.refund.query": self._refund_query,
            "alipay.trade.close": self._close,
            "alipay.data.dataservice.bill.downloadurl.query": self._bill,
        }.get(method)
        if handler is None:
            return self._answer(method, _error("40004", "isv.invalid-method", "不存在的方法名"))
        handler(method, params, biz)

    def _check(self, params: dict[str, str]) -> dict[str, str] | None:
        """None if the request is signed right by this application; else Alipay's error."""
        if params.get("app_id") != self.api.keys.app_id:
            return _error("40002", "isv.invalid-app-id", "无效的AppID参数", msg="Invalid Arguments")
        if params.get("sign_type") != "RSA2" or params.get("charset") != "utf-8":
            return _error(
                "40002", "isv.invalid-signature-type", "无效的签名类型", msg="Invalid Arguments"
            )
        try:
            sent = datetime.strptime(params.get("timestamp", ""), SECONDS).replace(tzinfo=SHANGHAI)
        except ValueError:
            return _error(
                "40002", "isv.invalid-timestamp", "非法的时间戳参数", msg="Invalid Arguments"
            )
        if abs((datetime.now(SHANGHAI) - sent).total_seconds()) > 15 * 60:
            return _error(
                "40002", "isv.invalid-timestamp", "非法的时间戳参数", msg="Invalid Arguments"
            )
        content = sign_content(params, exclude=("sign",))
        if not rsa_verify(self.api.keys.app_key.public_key(), content, params.get("sign", "")):
            return _error("40002", "isv.invalid-signature", "验签出错", msg="Invalid Arguments")
        return None

    def _page_pay(self, method: str, params: dict[str, str], biz: dict[str, Any]) -> None:
        """The cashier: the payer's browser arrives with the signed order (the desktop's, or
        the phone's, whose product code is QUICK_WAP_WAY and which needs quit_url)."""
        no = biz.get("out_trade_no", "")
        amount = Decimal(str(biz.get("total_amount", "0")))
        wap = method == "alipay.trade.wap.pay"
        product = "QUICK_WAP_WAY" if wap else "FAST_INSTANT_TRADE_PAY"
        if biz.get("product_code") != product or amount <= 0 or not no:
            return self._send(400, "<p>参数错误</p>".encode(), "text/html;charset=utf-8")
        if wap and not biz.get("quit_url"):
            return self._send(400, "<p>缺少quit_url</p>".encode(), "text/html;charset=utf-8")
        trade = self.api.trades.get(no)
        if trade is None or trade["trade_status"] == "WAIT_BUYER_PAY":
            self.api.trades[no] = {
                "out_trade_no": no,
                "subject": biz.get("subject", ""),
                "total_amount": amount,
                "trade_status": "WAIT_BUYER_PAY",
                "trade_no": "",
                "gmt_create": _now(),
                "gmt_payment": "",
                "time_expire": biz.get("time_expire", ""),
                "notify_url": params.get("notify_url", ""),
                "return_url": params.get("return_url", ""),
                "refunded": Decimal("0"),
            }
        self.api.trades[no] |= {"method": method, "quit_url": biz.get("quit_url", "")}
        self.api.requests.append((method, "page"))
        self._send(200, cashier_page(self.api.trades[no]), "text/html;charset=utf-8")

    def _trade(self, biz: dict[str, Any]) -> dict[str, Any] | None:
        if biz.get("out_trade_no"):
            return self.api.trades.get(biz["out_trade_no"])
        return self.api.trade_by_no(biz.get("trade_no", ""))

    def _query(self, method: str, params: dict[str, str], biz: dict[str, Any]) -> None:
        trade = self._trade(biz)
        if trade is None:
            return self._answer(method, _error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在"))
        data = {
            "code": "10000",
            "msg": "Success",
            "out_trade_no": trade["out_trade_no"],
            "trade_status": trade["trade_status"],
            "total_amount": _yuan(trade["total_amount"]),
            "buyer_logon_id": "159****5620",
        }
        if trade["trade_no"]:
            data |= {
                "trade_no": trade["trade_no"],
                "buyer_pay_amount": _yuan(trade["total_amount"]),
                "receipt_amount": _yuan(trade["total_amount"]),
                "send_pay_date": trade["gmt_payment"],
                "buyer_user_id": "2088102177846880",
            }
        self._answer(method, data)

    def _refund(self, method: str, params: dict[str, str], biz: dict[str, Any]) -> None:
        trade = self._trade(biz)
        if trade is None or not trade["trade_no"]:
            return self._answer(method, _error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在"))
        request_no = biz.get("out_request_no") or trade["out_trade_no"]
        done = self.api.refunds.get(request_no)
        if done is not None:  # asked again with the same out_request_no: refunded once
            return self._answer(method, done["answer"] | {"fund_change": "N"})
        amount = Decimal(str(biz.get("refund_amount", "0")))
        if amount <= 0 or trade["refunded"] + amount > trade["total_amount"]:
            return self._answer(
                method, _error("40004", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限")
            )
        if trade["trade_status"] not in ("TRADE_SUCCESS",):
            return self._answer(method, _error("40004", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法"))
        trade["refunded"] += amount
        if trade["refunded"] == trade["total_amount"]:
            trade["trade_status"] = "TRADE_CLOSED"
        answer = {
            "code": "10000",
            "msg": "Success",
            "trade_no": trade["trade_no"],
            "out_trade_no": trade["out_trade_no"],
            "buyer_logon_id": "159****5620",
            "fund_change": "Y",
            "refund_fee": _yuan(trade["refunded"]),  # the trade's refunds so far, all of them
            "gmt_refund_pay": _now(),
            "buyer_user_id": "2088102177846880",
        }
        self.api.refunds[request_no] = {
            "out_trade_no": trade["out_trade_no"],
            "trade_no": trade["trade_no"],
            "refund_amount": amount,
            "refund_fee_after": trade["refunded"],
            "trade_status_after": trade["trade_status"],
            "gmt_refund": _now(millis=True),
            "answer": answer,
        }
        self._answer(method, answer)

    def _refund_query(self, method: str, params: dict[str, str], biz: dict[str, Any]) -> None:
        trade = self._trade(biz)
        if trade is None:
            return self._answer(method, _error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在"))
        data = {"code": "10000", "msg": "Success", "out_trade_no": trade["out_trade_no"]}
        data["trade_no"] = trade["trade_no"]
        refund = self.api.refunds.get(biz.get("out_request_no", ""))
        if refund is not None and refund["trade_no"] == trade["trade_no"]:
            # No refund_status and no amounts: Alipay's way of saying "no such refund".
            data |= {
                "out_request_no": biz["out_request_no"],
                "total_amount": _yuan(trade["total_amount"]),
                "refund_amount": _yuan(refund["refund_amount"]),  # this request's amount
                "refund_status": "REFUND_SUCCESS",
                "gmt_refund_pay": refund["gmt_refund"],
            }
        self._answer(method, data)

    def _close(self, method: str, params: dict[str, str], biz: dict[str, Any]) -> None:
        trade = self._trade(biz)
        if trade is None:
            return self._answer(method, _error("40004", "ACQ.TRADE_NOT_EXIST", "交易不存在"))
        if trade["trade_status"] != "WAIT_BUYER_PAY":
            return self._answer(method, _error("40004", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法"))
        trade["trade_status"] = "TRADE_CLOSED"
        self._answer(
            method, {"code": "10000", "msg": "Success", "out_trade_no": trade["out_trade_no"]}
        )

    def _bill(self, method: str, params: dict[str, str], biz: dict[str, Any]) -> None:
        day = biz.get("bill_date", "")
        if biz.get("bill_type") != "trade":
            return self._answer(method, _error("40004", "isp.bill_type_error", "账单类型错误"))
        if day not in self.api.bills:
            return self._answer(method, _error("40004", "isp.bill_not_exist", "账单不存在"))
        url = f"{self.api.url}/bill/{day}.zip?downloadFileName={day}.zip&fileType=trade"
        self._answer(method, {"code": "10000", "msg": "Success", "bill_download_url": url})


def _error(
    code: str, sub_code: str, sub_msg: str, *, msg: str = "Business Failed"
) -> dict[str, str]:
    return {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg}
