"""Paying on a phone: WeChat Pay H5 and Alipay's phone cashier (alipay.trade.wap.pay), chosen
by the payer's browser or their explicit choice, against the local protocol servers through the
SDKs: the order as the provider wants it, the payer's page, the signed notification, the return.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import parse_qs, parse_qsl, urlsplit

import pytest

from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome
from vmo.payments.devices import device_from
from vmo.payments.gateways import alipay as alipay_gateway
from vmo.payments.gateways.base import GatewayError, Payer

from .helpers import hook_runs, make_order
from .providers.fixtures import alipay, wechat  # noqa: F401 - the fixtures
from .providers.wechat_server import H5_PAGE

pytestmark = pytest.mark.django_db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
IN_WECHAT = ANDROID + " MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 NetType/WIFI"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser_post(url: str) -> str:
    """The payer presses the provider page's pay button; where it sends them back."""
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as found:
        opener.open(urllib.request.Request(url, data=b"", method="POST"), timeout=5)
    assert found.value.code == 302
    return found.value.headers["Location"]


@pytest.mark.parametrize(
    ("user_agent", "choice", "device"),
    [
        (IPHONE, "", "phone"),
        (ANDROID, "", "phone"),
        (DESKTOP, "", "desktop"),
        ("", "", "desktop"),
        (IN_WECHAT, "", "desktop"),  # WeChat refuses H5 inside its own browser
        (DESKTOP, "phone", "phone"),  # the payer's choice wins
        (IPHONE, "desktop", "desktop"),
        (IPHONE, "tablet", "phone"),  # an unknown choice is no choice
    ],
)
def test_the_device_rule(user_agent, choice, device):
    assert device_from(user_agent, choice) == device


def test_order_page_offers_the_other_flow(payer, payer_client, wechat, settings):  # noqa: F811
    settings.VMO_PAYMENT_DEFAULT_GATEWAY = "wechat"
    order = make_order(payer)
    page = payer_client.get(f"/payments/orders/{order.reference}/", HTTP_USER_AGENT=IPHONE)
    html = page.content.decode()
    assert 'name="device" value="desktop"' in html
    assert "Pay on a computer instead (QR code)" in html
    page = payer_client.get(f"/payments/orders/{order.reference}/", HTTP_USER_AGENT=DESKTOP)
    assert "Pay on this phone instead" in page.content.decode()
    settings.VMO_PAYMENT_DEFAULT_GATEWAY = "sandbox"  # no phone flow of its own: no choice
    page = payer_client.get(f"/payments/orders/{order.reference}/", HTTP_USER_AGENT=IPHONE)
    assert "instead" not in page.content.decode()


def _h5_started(payer, payer_client, wechat, settings, **post):  # noqa: F811
    settings.VMO_PAYMENT_DEFAULT_GATEWAY = "wechat"
    order = make_order(payer)
    response = payer_client.post(
        f"/payments/orders/{order.reference}/pay/", post, HTTP_USER_AGENT=IPHONE
    )
    assert response.status_code == 302
    return order, response["Location"]


def test_wechat_h5_order_page_notification_and_return(
    payer,
    payer_client,
    wechat,  # noqa: F811
    settings,
    committing,
):
    wechat.notify_on_pay = False  # the test delivers the callback itself
    order, location = _h5_started(payer, payer_client, wechat, settings)
    # Sent to WeChat Pay's h5_url, with our return page as redirect_url.
    url = urlsplit(location)
    assert location.startswith(wechat.url + H5_PAGE + "?prepay_id=wx")
    query = parse_qs(url.query)
    assert query["redirect_url"] == [f"http://testserver/payments/orders/{order.reference}/return/"]
    placed = wechat.orders[order.reference]
    assert placed["trade_type"] == "MWEB"
    assert placed["scene_info"] == {"payer_client_ip": "127.0.0.1", "h5_info": {"type": "Wap"}}
    assert placed["amount"]["total"] == order.amount_fen
    assert ("POST", "/v3/pay/transactions/h5", 200) in wechat.requests
    assert all(status != 401 for _, _, status in wechat.requests)  # every request signed right
    # The payer's phone opens the H5 page, pays, and is sent back to our return page.
    with urllib.request.urlopen(location, timeout=5) as page:
        assert "确认支付" in page.read().decode()
    assert _browser_post(location) == query["redirect_url"][0]
    body, headers = wechat.notification(
        "TRANSACTION.SUCCESS", wechat.transaction(wechat.orders[order.reference])
    )
    with committing():
        record = services.notification_process(gateway="wechat", body=body, headers=headers)
    assert record.outcome == Outcome.CREDITED
    response = payer_client.get(f"/payments/orders/{order.reference}/return/", follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and hook_runs(order) == 1
    assert order.gateway_txn_id == wechat.orders[order.reference]["transaction_id"]
    assert "Payment received" in response.content.decode()


def test_wechat_h5_return_pays_when_the_notification_is_lost(
    payer,
    payer_client,
    wechat,  # noqa: F811
    settings,
):
    wechat.notify_on_pay = False
    order, location = _h5_started(payer, payer_client, wechat, settings)
    back = _browser_post(location)
    response = payer_client.get(urlsplit(back).path, follow=True)  # the query finds it paid
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and hook_runs(order) == 1
    assert "Payment received" in response.content.decode()


def test_a_phone_payer_may_choose_the_qr_code(payer, payer_client, wechat, settings):  # noqa: F811
    order, location = _h5_started(payer, payer_client, wechat, settings, device="desktop")
    assert location.startswith("/payments/wechat/native/")
    assert wechat.orders[order.reference]["trade_type"] == "NATIVE"
    page = payer_client.get(location)
    assert wechat.orders[order.reference]["code_url"] in page.content.decode()


def test_wechat_refuses_h5_without_the_payer_address(payer, wechat):  # noqa: F811
    order = make_order(payer)
    with pytest.raises(GatewayError):
        services.order_start(
            order=order,
            return_url="http://testserver/back/",
            gateway="wechat",
            payer=Payer(device="phone", ip=""),
        )
    assert ("POST", "/v3/pay/transactions/h5", 400) in wechat.requests


def test_alipay_phone_cashier_notification_and_return(
    payer,
    payer_client,
    alipay,  # noqa: F811
    settings,
    committing,
):
    settings.VMO_PAYMENT_DEFAULT_GATEWAY = "alipay"
    alipay.notify_on_pay = False
    order = make_order(payer)
    response = payer_client.post(
        f"/payments/orders/{order.reference}/pay/", HTTP_USER_AGENT=ANDROID
    )
    location = response["Location"]
    assert location.startswith(alipay.gateway_url + "?")
    params = dict(parse_qsl(urlsplit(location).query))
    assert params["method"] == "alipay.trade.wap.pay"
    assert '"product_code":"QUICK_WAP_WAY"' in params["biz_content"].replace(" ", "")
    with urllib.request.urlopen(location, timeout=5) as page:  # the phone's browser
        assert "支付宝" in page.read().decode()
    trade = alipay.trades[order.reference]
    assert trade["method"] == "alipay.trade.wap.pay"
    assert trade["quit_url"].endswith(f"/payments/orders/{order.reference}/")
    back = _browser_post(f"{alipay.url}/cashier/{order.reference}")
    back_params = dict(parse_qsl(urlsplit(back).query))
    assert back.startswith(f"http://testserver/payments/orders/{order.reference}/return/?")
    assert back_params["method"] == "alipay.trade.wap.pay.return"
    with committing():
        record = services.notification_process(
            gateway="alipay", body=alipay.pay_notification(order.reference)[0], headers={}
        )
    assert record.outcome == Outcome.CREDITED
    response = payer_client.get(back, follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and hook_runs(order) == 1
    assert "Payment received" in response.content.decode()


def test_alipay_refuses_the_sdk_default_wap_product_code(payer, alipay):  # noqa: F811
    """The SDK writes QUICK_WAP_PAY; Alipay's phone cashier wants QUICK_WAP_WAY (so does the
    local server): the adapter's override is what makes the cashier open."""
    order = make_order(payer)
    query = alipay_gateway._client().api_alipay_trade_wap_pay(
        subject="x", out_trade_no=order.reference, total_amount="1.00", quit_url="http://x/"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{alipay.gateway_url}?{query}", timeout=5)
    assert refused.value.code == 400
    assert order.reference not in alipay.trades
