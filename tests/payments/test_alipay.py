"""Alipay (open platform, RSA2) end to end against the local protocol server, through the SDK
the product uses (python-alipay-sdk): every request is checked for the application's signature,
every answer and notification is signed with the key the test made for "Alipay"."""

from __future__ import annotations

import urllib.request
from urllib.parse import parse_qsl, urlencode

import pytest

from vmo.core import clock
from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome, RefundStatus
from vmo.payments.gateways.alipay import AlipayGateway
from vmo.payments.gateways.base import GatewayError
from vmo.payments.models import GatewayNotification, Refund

from .helpers import hook_runs, make_order
from .providers.alipay_bill import bill_archive, bill_row
from .providers.fixtures import alipay  # noqa: F401 - the fixture
from .providers.keys import rsa_key, rsa_sign

pytestmark = pytest.mark.django_db


def _started(payer, alipay):  # noqa: F811
    """The payer is sent to Alipay's cashier with the signed order, and their browser goes."""
    order = make_order(payer)
    url = services.order_start(order=order, return_url="http://testserver/back/", gateway="alipay")
    assert url.startswith(alipay.gateway_url + "?")
    with urllib.request.urlopen(url, timeout=5) as response:  # the payer's browser
        assert "支付宝" in response.read().decode()
    trade = alipay.trades[order.reference]
    assert trade["total_amount"] == 200 and trade["trade_status"] == "WAIT_BUYER_PAY"
    assert trade["notify_url"].endswith("/payments/callback/alipay/")
    assert trade["return_url"] == "http://testserver/back/"
    return order


def _deliver(body, headers=None):
    return services.notification_process(gateway="alipay", body=body, headers=headers or {})


def _params(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _signed_by_alipay(alipay, params):  # noqa: F811
    params = {k: v for k, v in params.items() if k != "sign"}
    return alipay.notification(params)[0]


def _paid(payer, alipay, committing):  # noqa: F811
    order = _started(payer, alipay)
    with committing():
        assert _deliver(*alipay.pay(order.reference)).outcome == Outcome.CREDITED
    order.refresh_from_db()
    return order


def test_page_pay_credited_once_by_the_signed_notification(payer, alipay, committing):  # noqa: F811
    order = _started(payer, alipay)
    body, headers = alipay.pay(order.reference)
    with committing():
        first = _deliver(body, headers)
    assert first.outcome == Outcome.CREDITED and first.signature_valid
    assert _deliver(body, headers).outcome == Outcome.DUPLICATE  # replayed: credited once
    # Alipay notifies again (a new notify_id, same trade): still once.
    assert _deliver(*alipay.pay_notification(order.reference)).outcome == Outcome.DUPLICATE
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.gateway_txn_id == alipay.trades[order.reference]["trade_no"]
    assert order.paid_amount_fen == 20000 and hook_runs(order) == 1
    # Every request carried an application signature the server accepted.
    assert alipay.requests and not [r for r in alipay.requests if r[1] == "40002"]


def test_answers_as_alipay_expects(payer, client, alipay):  # noqa: F811
    order = _started(payer, alipay)
    body, _ = alipay.pay(order.reference)
    form = "application/x-www-form-urlencoded; charset=utf-8"
    ok = client.post("/payments/callback/alipay/", body, content_type=form)
    assert ok.status_code == 200 and ok.content == b"success"
    forged = urlencode(_params(body) | {"total_amount": "0.01"}).encode()
    bad = client.post("/payments/callback/alipay/", forged, content_type=form)
    assert bad.status_code == 200 and bad.content == b"fail"  # Alipay sends it again


def test_bad_notifications_are_refused_recorded_and_credit_nothing(payer, alipay):  # noqa: F811
    order = _started(payer, alipay)
    body, _ = alipay.pay(order.reference)
    params = _params(body)
    refused = {
        # The signature itself altered.
        "forged": urlencode(params | {"sign": params["sign"][:-8] + "AAAAAAA="}).encode(),
        # A value changed after signing.
        "tampered": urlencode(params | {"out_trade_no": order.reference + "X"}).encode(),
        # Cut short: a signed parameter missing, or the body cut mid-way.
        "dropped": urlencode({k: v for k, v in params.items() if k != "gmt_payment"}).encode(),
        "truncated": body[: len(body) // 2],
        # Signed with a key that is not Alipay's.
        "other_key": urlencode(params | {"sign": rsa_sign(rsa_key(), body.decode())}).encode(),
        # The old RSA (SHA-1) type is not accepted.
        "rsa1": urlencode(params | {"sign_type": "RSA"}).encode(),
    }
    for name, forged in refused.items():
        assert _deliver(forged).outcome == Outcome.rejected("bad_signature"), name
    # Signed by Alipay, but for another office's application or merchant, or another order.
    other_app = _signed_by_alipay(alipay, params | {"app_id": "2021000000009999"})
    assert _deliver(other_app).outcome == Outcome.rejected("wrong_merchant")
    other_seller = _signed_by_alipay(alipay, params | {"seller_id": "2088000000009999"})
    assert _deliver(other_seller).outcome == Outcome.rejected("wrong_merchant")
    unknown = _signed_by_alipay(alipay, params | {"out_trade_no": "PO-NOT-OURS"})
    assert _deliver(unknown).outcome == Outcome.rejected("unknown_order")
    cheap = _signed_by_alipay(alipay, params | {"total_amount": "0.01"})
    assert _deliver(cheap).outcome == Outcome.rejected("amount_mismatch")
    odd = _signed_by_alipay(alipay, params | {"trade_status": "TRADE_PAID_SOMEHOW"})
    assert _deliver(odd).outcome == Outcome.rejected("malformed")

    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    records = GatewayNotification.objects.filter(gateway="alipay")
    assert records.count() == len(refused) + 5
    assert not records.filter(outcome=Outcome.CREDITED).exists()
    assert records.filter(signature_valid=True).count() == 5


def test_reordered_and_blank_parameters_are_the_same_signed_notification(payer, alipay):  # noqa: F811
    """Alipay signs the sorted non-empty parameters, so their order in the body and a blank
    parameter change nothing: the notification is genuine, and credited once."""
    order = _started(payer, alipay)
    body, _ = alipay.pay(order.reference)
    params = _params(body)
    reordered = urlencode(dict(reversed(list(params.items()))) | {"passback_params": ""})
    assert _deliver(reordered.encode()).outcome == Outcome.CREDITED
    assert _deliver(body).outcome == Outcome.DUPLICATE
    assert hook_runs(order) == 1


def test_query_reports_each_state(payer, alipay):  # noqa: F811
    order = make_order(payer)
    assert AlipayGateway().query(order).state == "not_found"  # no one reached the cashier yet
    order = _started(payer, alipay)
    assert AlipayGateway().query(order).state == "pending"
    alipay.pay(order.reference)
    status = AlipayGateway().query(order)
    assert status.state == "paid" and status.amount_fen == 20000
    assert status.txn_id == alipay.trades[order.reference]["trade_no"]
    assert status.paid_at is not None and abs((clock.now() - status.paid_at).total_seconds()) < 60


def test_return_shows_paid_when_the_notification_is_lost(payer, payer_client, alipay):  # noqa: F811
    order = _started(payer, alipay)
    alipay.pay(order.reference)  # the notification never arrives
    response = payer_client.get(f"/payments/orders/{order.reference}/return/", follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert "Payment received" in response.content.decode()


def test_timeouts_and_5xx_raise_and_credit_nothing(payer, payer_client, alipay, settings):  # noqa: F811
    settings.VMO_PAYMENT_ALIPAY = settings.VMO_PAYMENT_ALIPAY | {"timeout": 1}
    alipay.delay = 2
    order = _started(payer, alipay)
    alipay.pay(order.reference)
    # 5xx, a signed "service currently unavailable" (code 20000), no answer in time.
    alipay.faults["alipay.trade.query"] = [500, 503, 20000, "timeout"]
    for _ in range(3):
        with pytest.raises(GatewayError):
            AlipayGateway().query(order)
    # The payer back from the cashier while Alipay is slow: the page, not an error.
    response = payer_client.get(f"/payments/orders/{order.reference}/return/", follow=True)
    assert response.status_code == 200 and "Payment received" not in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert AlipayGateway().query(order).state == "paid"  # Alipay is back


def test_refunds_are_per_request_amounts(payer, alipay, committing):  # noqa: F811
    """alipay.trade.refund takes this request's refund_amount with out_request_no; the
    notification that follows carries the trade's refunded total in refund_fee: two partial
    refunds of 50 and 30 must finish as 50 and 30, not as 50 and 80."""
    order = _paid(payer, alipay, committing)
    refunds = []
    for amount in (5000, 3000):
        with committing():
            refund = services.refund_create(order=order, amount_fen=amount, reason="x", actor=None)
        refund.refresh_from_db()
        assert refund.status == RefundStatus.SUBMITTED
        refunds.append(refund)
    sent = alipay.refunds
    assert [sent[r.reference]["refund_amount"] for r in refunds] == [50, 30]
    assert [sent[r.reference]["refund_fee_after"] for r in refunds] == [50, 80]
    second = alipay.refund_notification(refunds[1].reference)
    assert _params(second[0])["refund_fee"] == "80.00"
    assert _deliver(*second).outcome == Outcome.REFUNDED
    assert _deliver(*alipay.refund_notification(refunds[0].reference)).outcome == Outcome.REFUNDED
    assert _deliver(*second).outcome == Outcome.DUPLICATE
    order.refresh_from_db()
    assert order.status == OrderStatus.PARTIALLY_REFUNDED and order.refunded_amount_fen == 8000

    # The rest: Alipay closes the trade (TRADE_CLOSED) and says so in the notification.
    with committing():
        last = services.refund_create(order=order, amount_fen=12000, reason="x", actor=None)
    assert alipay.trades[order.reference]["trade_status"] == "TRADE_CLOSED"
    note = alipay.refund_notification(last.reference)
    assert _params(note[0])["trade_status"] == "TRADE_CLOSED"
    assert _deliver(*note).outcome == Outcome.REFUNDED
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED and order.refunded_amount_fen == 20000
    assert {r.gateway_refund_id for r in Refund.objects.all()} == {
        f"{order.gateway_txn_id}:{r.reference}" for r in Refund.objects.all()
    }


def test_refund_retried_after_5xx_and_a_lost_answer_refunds_once(
    payer,
    alipay,  # noqa: F811
    committing,
    settings,
):
    order = _paid(payer, alipay, committing)
    settings.VMO_PAYMENT_ALIPAY = settings.VMO_PAYMENT_ALIPAY | {"timeout": 1}
    alipay.delay = 2
    # A 502, then a refund carried out whose answer comes too late, then the retry.
    alipay.faults["alipay.trade.refund"] = [502, "late"]
    with committing():
        refund = services.refund_create(order=order, amount_fen=5000, reason="x", actor=None)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.PENDING
    with pytest.raises(GatewayError):
        services.refund_submit(refund_id=refund.pk)  # Alipay refunded, we did not hear
    assert alipay.refunds[refund.reference]["refund_amount"] == 50
    services.refund_submit(refund_id=refund.pk)  # the same out_request_no: fund_change N
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUBMITTED
    assert alipay.trades[order.reference]["refunded"] == 50  # refunded once
    assert ("alipay.trade.refund", "10000") in alipay.requests


def test_refund_notification_needs_alipays_confirmation(payer, alipay, committing):  # noqa: F811
    order = _paid(payer, alipay, committing)
    with committing():
        refund = services.refund_create(order=order, amount_fen=5000, reason="x", actor=None)
    body, _ = alipay.refund_notification(refund.reference)
    # The refund query fails: refused for now, so that Alipay sends it again ...
    alipay.faults["alipay.trade.fastpay.refund.query"] = [503]
    assert _deliver(body).outcome == Outcome.rejected("unconfirmed")
    # ... and the re-sent one finishes it.
    assert _deliver(body).outcome == Outcome.REFUNDED
    # A signed refund notice for a request Alipay never saw is not believed.
    ghost = _signed_by_alipay(alipay, _params(body) | {"out_biz_no": "RF-NEVER-ASKED"})
    assert _deliver(ghost).outcome == Outcome.rejected("unconfirmed")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED and refund.amount_fen == 5000


def test_trade_bill_feeds_the_reconciliation(payer, alipay, committing):  # noqa: F811
    order = _paid(payer, alipay, committing)
    with committing():
        refund = services.refund_create(order=order, amount_fen=5000, reason="x", actor=None)
    _deliver(*alipay.refund_notification(refund.reference))
    refund.refresh_from_db()
    day = clock.local(order.paid_at).date()
    at = clock.local(order.paid_at).strftime("%Y-%m-%d %H:%M:%S")
    refunded_at = clock.local(refund.completed_at).strftime("%Y-%m-%d %H:%M:%S")
    trade_no = order.gateway_txn_id

    def bill(paid_yuan: str) -> bytes:
        return bill_archive(
            day.isoformat(),
            [
                bill_row(trade_no, order.reference, "交易", paid_yuan, at),
                bill_row(
                    trade_no, order.reference, "退款", "-50.00", refunded_at, refund.reference
                ),
            ],
        )

    assert services.reconcile(gateway="alipay", day=day).discrepancy_count == 2  # no bill
    alipay.bills[day.isoformat()] = bill("200.00")
    run = services.reconcile(gateway="alipay", day=day)
    assert run.discrepancy_count == 0
    alipay.bills[day.isoformat()] = bill("2.00")  # the amounts differ
    assert services.reconcile(gateway="alipay", day=day).discrepancy_count == 1
    alipay.faults["alipay.data.dataservice.bill.downloadurl.query"] = [500]
    with pytest.raises(GatewayError):
        AlipayGateway().statement(day)


def test_a_trade_closed_unpaid_is_acknowledged_and_credits_nothing(payer, client, alipay):  # noqa: F811
    """Alipay notifies TRADE_CLOSED when an unpaid trade expires or is closed: genuine, nothing
    to credit, answered `success` so that it is not sent again for a day."""
    order = _started(payer, alipay)
    AlipayGateway().close(order)
    trade = alipay.trades[order.reference] | {"trade_no": "2026120322001400000000000001"}
    params = alipay._common(trade) | {"gmt_payment": "", "gmt_close": "2026-12-03 10:00:00"}
    body, _ = alipay.notification(params)
    form = "application/x-www-form-urlencoded; charset=utf-8"
    answer = client.post("/payments/callback/alipay/", body, content_type=form)
    assert answer.content == b"success"
    record = GatewayNotification.objects.get(gateway="alipay")
    assert record.outcome == Outcome.ignored("not_paid") and record.signature_valid
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


def test_answers_not_signed_by_alipay_are_not_believed(payer, alipay, committing):  # noqa: F811
    order = _started(payer, alipay)
    alipay.pay(order.reference)
    genuine = alipay.keys.alipay_key
    alipay.keys.alipay_key = rsa_key()  # someone in the middle answers, with their own key
    with pytest.raises(GatewayError):
        AlipayGateway().query(order)
    alipay.keys.alipay_key = genuine
    # Our own signature is checked by the server too: a wrong application key is refused.
    alipay.keys.app_key = rsa_key()
    with pytest.raises(GatewayError):
        AlipayGateway().query(order)
    assert alipay.requests[-1] == ("alipay.trade.query", "40002")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
