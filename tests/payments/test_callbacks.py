"""Signed callbacks: forged, replayed, wrong amount, out of order — each recorded, each safe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from vmo.core import clock
from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome, RefundStatus
from vmo.payments.models import GatewayNotification, Refund

from .helpers import deliver, hook_runs, make_order, pay_body, refund_body, signed

pytestmark = pytest.mark.django_db


def _started(order):
    services.order_start(order=order, return_url="http://testserver/back/")
    order.refresh_from_db()
    return order


def test_forged_signature_is_refused_and_recorded(payer):
    order = _started(make_order(payer))
    body = pay_body(order, txn_id="ST1")
    record = deliver(body, {"X-Sandbox-Signature": "0" * 64})
    assert record.outcome == Outcome.rejected("bad_signature")
    assert record.signature_valid is False
    assert record.order_reference == order.reference  # kept for the record, not acted on
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert hook_runs(order) == 0


def test_signature_over_another_body_is_refused(payer):
    order = _started(make_order(payer))
    honest = pay_body(order, txn_id="ST1", amount_fen=1)
    tampered = pay_body(order, txn_id="ST1")
    assert deliver(tampered, signed(honest)).outcome == Outcome.rejected("bad_signature")
    assert deliver(tampered, {}).outcome == Outcome.rejected("bad_signature")


def test_replayed_callback_credits_once(payer):
    order = _started(make_order(payer))
    body = pay_body(order, txn_id="ST1")
    outcomes = [deliver(body).outcome for _ in range(3)]
    assert outcomes == [Outcome.CREDITED, Outcome.DUPLICATE, Outcome.DUPLICATE]
    order.refresh_from_db()
    assert (order.status, order.gateway_txn_id, order.paid_amount_fen) == ("paid", "ST1", 20000)
    assert hook_runs(order) == 1
    assert GatewayNotification.objects.filter(order_reference=order.reference).count() == 3


def test_wrong_amount_is_refused(payer):
    order = _started(make_order(payer))
    record = deliver(pay_body(order, txn_id="ST1", amount_fen=19999))
    assert record.outcome == Outcome.rejected("amount_mismatch")
    assert record.signature_valid is True
    assert record.amount_fen == 19999
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING


@pytest.mark.parametrize("amount", ["20000", 200.0, True, -1])
def test_amount_not_integer_fen_is_malformed(payer, amount):
    import json

    order = _started(make_order(payer))
    data = json.loads(pay_body(order, txn_id="ST1"))
    data["total_fee"] = amount
    body = json.dumps(data).encode()
    assert deliver(body).outcome == Outcome.rejected("malformed")


def test_unknown_order_and_garbage_are_recorded(payer):
    order = make_order(payer)
    order.reference = "PO000000000000000000"
    assert deliver(pay_body(order, txn_id="ST9")).outcome == Outcome.rejected("unknown_order")
    garbage = deliver(b"\xff not json")
    assert garbage.outcome == Outcome.rejected("malformed")
    assert garbage.kind == "unknown"


def test_a_failing_hook_credits_nothing_and_asks_for_the_callback_again(payer, monkeypatch):
    from vmo.payments import hooks

    def broken(order):
        raise RuntimeError("fines app is down")

    monkeypatch.setitem(hooks._paid, "test.broken", {"broken": broken})
    order = _started(make_order(payer, purpose="test.broken"))
    body = pay_body(order, txn_id="ST1")
    assert deliver(body).outcome == Outcome.failed("RuntimeError")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and order.gateway_txn_id == ""
    monkeypatch.setitem(hooks._paid, "test.broken", {})
    assert deliver(body).outcome == Outcome.CREDITED


def test_refund_notice_before_the_pay_notice(payer, committing, settings):
    """Lost callback → the active query credits it → refund → its notice → the late pay notice."""
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # the sandbox sends nothing by itself here
    from vmo.payments.gateways.sandbox import checkout_pay
    from vmo.payments.models import SandboxCheckout

    order = _started(make_order(payer))
    checkout_pay(token=SandboxCheckout.objects.get().token)
    order = services.order_refresh(order=order)
    assert order.status == OrderStatus.PAID
    with committing():
        refund = services.refund_create(order=order, amount_fen=20000, reason="refused", actor=None)
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUBMITTED
    assert deliver(refund_body(order, refund, refund_no="SR1")).outcome == Outcome.REFUNDED
    late_pay = deliver(pay_body(order, txn_id=order.gateway_txn_id))
    assert late_pay.outcome == Outcome.DUPLICATE
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert hook_runs(order) == 1
    assert hook_runs(order, "test.hook_refunded") == 1
    # And the refund notice replayed afterwards changes nothing.
    assert deliver(refund_body(order, refund, refund_no="SR1")).outcome == Outcome.DUPLICATE
    assert hook_runs(order, "test.hook_refunded") == 1


def test_refund_notice_for_an_unknown_refund_is_refused(payer):
    order = _started(make_order(payer))
    deliver(pay_body(order, txn_id="ST1"))
    ghost = Refund(reference="RF-unknown", gateway_txn_id="ST1", amount_fen=100)
    record = deliver(refund_body(order, ghost, refund_no="SR9"))
    assert record.outcome == Outcome.rejected("unknown_refund")


def test_payment_after_the_order_expired_is_credited_when_nothing_replaced_it(payer):
    order = _started(make_order(payer))
    paid_at = clock.now()
    order.__class__.objects.filter(pk=order.pk).update(expires_at=paid_at - timedelta(minutes=1))
    assert services.orders_expire() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert deliver(pay_body(order, txn_id="ST1", at=paid_at)).outcome == Outcome.CREDITED
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.closed_at is None


def test_payment_to_a_replaced_order_is_given_back(payer, committing):
    old = _started(make_order(payer, amount_fen=20000))
    new = make_order(payer, amount_fen=20600)  # the late fee grew: the old order is replaced
    assert new.pk != old.pk
    with committing():
        record = deliver(pay_body(old, txn_id="ST-old"))
    assert record.outcome == Outcome.LATE_PAYMENT
    refund = Refund.objects.get(gateway_txn_id="ST-old")
    assert refund.kind == "late_payment" and refund.amount_fen == 20000
    old.refresh_from_db()
    assert old.status == OrderStatus.CLOSED
    assert hook_runs(old) == 0


def test_callback_endpoint_answers_the_gateway(payer, client):
    order = _started(make_order(payer))
    body = pay_body(order, txn_id="ST1")
    url = reverse("payments:callback", args=["sandbox"])
    ok = client.post(url, body, content_type="application/json", headers=signed(body))
    assert (ok.status_code, ok.content) == (200, b"success")
    again = client.post(url, body, content_type="application/json", headers=signed(body))
    assert again.content == b"success"  # a duplicate is fine: stop sending it
    forged = client.post(
        url, body, content_type="application/json", headers={"X-Sandbox-Signature": "x"}
    )
    assert forged.content == b"fail"
    assert client.get(url).status_code == 405
    assert (
        client.post(
            reverse("payments:callback", args=["nope"]), body, content_type="application/json"
        ).status_code
        == 404
    )


def test_callback_endpoint_needs_no_csrf_token(payer):
    from django.test import Client

    order = _started(make_order(payer))
    body = pay_body(order, txn_id="ST1")
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(
        reverse("payments:callback", args=["sandbox"]),
        body,
        content_type="application/json",
        headers=signed(body),
    )
    assert answer.content == b"success"
