"""WeChat Pay API v3 end to end against the local protocol server, through the SDK."""

from __future__ import annotations

import json
import time

import pytest

from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome, RefundStatus
from vmo.payments.models import GatewayNotification, Refund

from .helpers import hook_runs, make_order
from .providers.fixtures import wechat  # noqa: F401 - the fixture
from .providers.wechat_server import refund_notification

pytestmark = pytest.mark.django_db


def _started(payer, wechat):  # noqa: F811
    order = make_order(payer)
    url = services.order_start(order=order, return_url="http://testserver/back/", gateway="wechat")
    assert url.startswith("/payments/wechat/native/")
    assert wechat.orders[order.reference]["amount"]["total"] == order.amount_fen
    return order


def _deliver(body, headers):
    return services.notification_process(gateway="wechat", body=body, headers=headers)


def test_native_order_paid_by_signed_callback_once(payer, wechat, committing):  # noqa: F811
    order = _started(payer, wechat)
    body, headers = wechat.pay(order.reference)
    with committing():
        first = _deliver(body, headers)
    assert first.outcome == Outcome.CREDITED and first.signature_valid
    assert _deliver(body, headers).outcome == Outcome.DUPLICATE  # replayed: credited once
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.gateway_txn_id == wechat.orders[order.reference]["transaction_id"]
    assert hook_runs(order) == 1
    # Every request carried a merchant signature the server accepted.
    assert all(status != 401 for _, _, status in wechat.requests)


def test_native_page_shows_the_code(payer, payer_client, wechat, settings):  # noqa: F811
    settings.VMO_PAYMENT_DEFAULT_GATEWAY = "wechat"  # the office chose WeChat Pay
    order = make_order(payer)
    response = payer_client.post(f"/payments/orders/{order.reference}/pay/")
    assert response.status_code == 302
    page = payer_client.get(response["Location"])
    assert wechat.orders[order.reference]["code_url"] in page.content.decode()
    assert b"data:image/png;base64," in page.content


def test_return_queries_when_the_callback_is_lost(payer, payer_client, wechat):  # noqa: F811
    order = _started(payer, wechat)
    wechat.pay(order.reference)  # the callback never arrives
    response = payer_client.get(f"/payments/orders/{order.reference}/return/", follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert "Payment received" in response.content.decode()


def test_forged_truncated_stale_foreign_and_wrong_amount_refused(payer, wechat):  # noqa: F811
    order = _started(payer, wechat)
    body, headers = wechat.pay(order.reference)
    forged = headers | {"Wechatpay-Signature": headers["Wechatpay-Signature"][:-8] + "AAAAAAA="}
    assert _deliver(body, forged).outcome == Outcome.rejected("bad_signature")
    assert _deliver(body[:-10], headers).outcome == Outcome.rejected("bad_signature")
    reordered = json.dumps(dict(reversed(list(json.loads(body).items())))).encode()
    assert _deliver(reordered, headers).outcome == Outcome.rejected("bad_signature")
    resource = wechat.transaction(wechat.orders[order.reference])
    stale = wechat.notification("TRANSACTION.SUCCESS", resource, timestamp=int(time.time()) - 600)
    assert _deliver(*stale).outcome == Outcome.rejected("stale")
    other = wechat.notification("TRANSACTION.SUCCESS", resource | {"mchid": "1900000999"})
    assert _deliver(*other).outcome == Outcome.rejected("wrong_merchant")
    cheap = wechat.notification(
        "TRANSACTION.SUCCESS", resource | {"amount": {"total": 1, "payer_total": 1}}
    )
    assert _deliver(*cheap).outcome == Outcome.rejected("amount_mismatch")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert GatewayNotification.objects.filter(outcome=Outcome.CREDITED).count() == 0
    assert GatewayNotification.objects.count() == 6


def test_answers_as_wechat_expects(payer, client, wechat):  # noqa: F811
    order = _started(payer, wechat)
    body, headers = wechat.pay(order.reference)
    extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
    ok = client.post("/payments/callback/wechat/", body, content_type="application/json", **extra)
    assert ok.status_code == 200 and ok.json() == {"code": "SUCCESS"}
    extra["HTTP_WECHATPAY_SIGNATURE"] = "Zm9yZ2Vk"
    bad = client.post("/payments/callback/wechat/", body, content_type="application/json", **extra)
    assert bad.status_code == 500 and bad.json()["code"] == "FAIL"


def test_timeouts_and_5xx_raise_and_credit_nothing(payer, wechat, settings):  # noqa: F811
    from vmo.payments.gateways.base import GatewayError
    from vmo.payments.gateways.wechat import WeChatPayGateway

    settings.VMO_PAYMENT_WECHAT = settings.VMO_PAYMENT_WECHAT | {"timeout": 1}
    wechat.delay = 2
    order = make_order(payer)
    wechat.faults["/v3/pay/transactions/native"] = [500, "timeout"]
    for _ in range(2):
        with pytest.raises(GatewayError):
            WeChatPayGateway().start(order, "http://testserver/back/")
    wechat.faults["/v3/pay/transactions/out-trade-no/"] = [503]
    with pytest.raises(GatewayError):
        WeChatPayGateway().query(order)
    order.refresh_from_db()
    assert order.status == OrderStatus.CREATED


def test_refund_then_callback_finishes_it(payer, wechat, committing):  # noqa: F811
    order = _started(payer, wechat)
    with committing():
        _deliver(*wechat.pay(order.reference))
    order.refresh_from_db()
    wechat.faults["/v3/refund/"] = [500]  # first try fails; the task's retry succeeds
    with committing():
        refund = services.refund_create(order=order, amount_fen=5000, reason="x", actor=None)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PENDING
    services.refund_submit(refund_id=refund.pk)
    services.refund_submit(refund_id=refund.pk)  # asked again: sent once
    assert len(wechat.refunds) == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUBMITTED
    body, headers = refund_notification(wechat, refund.reference)
    assert _deliver(body, headers).outcome == Outcome.REFUNDED
    assert _deliver(body, headers).outcome == Outcome.DUPLICATE
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED and order.refunded_amount_fen == 5000
    assert (
        Refund.objects.get().gateway_refund_id
        == wechat.refunds[refund.reference]["answer"]["refund_id"]
    )


def test_platform_certificate_rotation(payer, wechat):  # noqa: F811
    order = _started(payer, wechat)
    wechat.keys.rotate_platform()  # a new serial: the SDK fetches it from /v3/certificates
    assert _deliver(*wechat.pay(order.reference)).outcome == Outcome.CREDITED
    assert any(path == "/v3/certificates" for _, path, _ in wechat.requests)


BILL_HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
)


def _bill_row(at, txn, reference, yuan):
    cells = [at, "wx", "1900000109", "0", "", txn, reference, "o", "NATIVE", "SUCCESS", "OTHERS"]
    cells += ["CNY", yuan, "0.00", "0", "0", "0.00", "0.00", "", "", "罚款", "", "0.00", "0.60%"]
    cells += [yuan, "0.00", ""]
    return ",".join(f"`{cell}" for cell in cells)


def test_trade_bill_feeds_the_reconciliation(payer, wechat, committing):  # noqa: F811
    from vmo.core import clock

    order = _started(payer, wechat)
    with committing():
        _deliver(*wechat.pay(order.reference))
    order.refresh_from_db()
    at = clock.local(order.paid_at).strftime("%Y-%m-%d %H:%M:%S")
    rows = [BILL_HEADER, _bill_row(at, order.gateway_txn_id, order.reference, "200.00")]
    wechat.bill = ("\n".join(rows) + "\n总交易单数,应结订单总金额\n`1,`200.00\n").encode()
    run = services.reconcile(gateway="wechat", day=clock.local(order.paid_at).date())
    assert run.discrepancy_count == 0
    rows[1] = _bill_row(at, order.gateway_txn_id, order.reference, "2.00")  # amounts differ
    wechat.bill = ("\n".join(rows) + "\n").encode()
    run = services.reconcile(gateway="wechat", day=clock.local(order.paid_at).date())
    assert run.discrepancy_count == 1


def test_pay_button_while_wechat_is_down_says_so(payer, payer_client, wechat, settings):  # noqa: F811
    settings.VMO_PAYMENT_DEFAULT_GATEWAY = "wechat"
    order = make_order(payer)
    wechat.faults["/v3/pay/transactions/native"] = [503]
    response = payer_client.post(f"/payments/orders/{order.reference}/pay/", follow=True)
    assert response.redirect_chain[-1][0] == f"/payments/orders/{order.reference}/"
    assert "The payment service is not answering" in response.content.decode()
