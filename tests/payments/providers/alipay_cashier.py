"""The payer's side of the local Alipay server: the cashier page a signed page-pay request
opens, its pay button, and the way back to the office's return_url with the parameters
Alipay signs there (method=alipay.trade.page.pay.return)."""

from __future__ import annotations

import html
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .keys import rsa_sign

if TYPE_CHECKING:
    from .alipay_server import AlipayServer


def sign_content(params: dict[str, str], *, exclude: tuple[str, ...]) -> str:
    """Alipay's string to sign: every non-empty parameter but `exclude`, sorted by name."""
    return "&".join(
        f"{key}={value}"
        for key, value in sorted(params.items())
        if key not in exclude and value not in ("", None)
    )


def cashier_page(trade: dict[str, Any]) -> bytes:
    no = html.escape(trade["out_trade_no"])
    page = f"""<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>支付宝 - 网上支付 安全快速！</title></head><body><main>
<h1>支付宝收银台</h1><p>{html.escape(trade["subject"])}</p>
<p>应付金额 <strong>¥{trade["total_amount"]:.2f}</strong></p>
<form method="post" action="/cashier/{no}"><button type="submit">确认付款</button></form>
</main></body></html>"""
    return page.encode()


def return_location(api: AlipayServer, out_trade_no: str) -> str:
    """Where the cashier sends the payer after paying: return_url with signed parameters."""
    trade = api.trades[out_trade_no]
    params = {
        "charset": "utf-8",
        "out_trade_no": out_trade_no,
        "method": trade.get("method", "alipay.trade.page.pay") + ".return",
        "total_amount": f"{trade['total_amount']:.2f}",
        "trade_no": trade["trade_no"],
        "auth_app_id": api.keys.app_id,
        "version": "1.0",
        "app_id": api.keys.app_id,
        "sign_type": "RSA2",
        "seller_id": api.keys.seller_id,
        "timestamp": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    params["sign"] = rsa_sign(
        api.keys.alipay_key, sign_content(params, exclude=("sign", "sign_type"))
    )
    joiner = "&" if "?" in trade["return_url"] else "?"
    return trade["return_url"] + joiner + urlencode(params)
