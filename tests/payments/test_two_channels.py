"""Paid twice through two channels: one credit, and the second payment given back by itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vmo.payments.choices import OrderStatus, Outcome, RefundKind, RefundStatus
from vmo.payments.models import GatewayNotification, Refund, SandboxTransaction

from .helpers import deliver, hook_runs, make_order, pay_body

pytestmark = pytest.mark.django_db


def test_second_payment_is_refunded_automatically(payer, payer_client, committing):
    order = make_order(payer)
    pay = reverse("payments:order_pay", args=[order.reference])
    # Two tabs, two channels: both hosted pages are open before either is paid.
    first = payer_client.post(pay)["Location"]
    second = payer_client.post(pay)["Location"]
    assert first != second
    # Both paid before either callback arrives (callbacks are sent after commit).
    with committing():
        payer_client.post(first, {"action": "pay"})
        payer_client.post(second, {"action": "pay"})

    order.refresh_from_db()
    txns = list(SandboxTransaction.objects.filter(kind="pay").order_by("id"))
    assert len(txns) == 2
    assert order.status == OrderStatus.PAID
    assert order.gateway_txn_id == txns[0].txn_id
    assert order.paid_amount_fen == 20000 and order.refunded_amount_fen == 0
    assert hook_runs(order) == 1

    refund = Refund.objects.get(order=order)
    assert refund.kind == RefundKind.DUPLICATE_PAYMENT
    assert refund.gateway_txn_id == txns[1].txn_id
    assert refund.amount_fen == 20000
    # The sandbox carried out the refund and its callback(s) came back: the refund is done.
    assert refund.status == RefundStatus.SUCCEEDED
    assert refund.gateway_refund_id
    sandbox_refund = SandboxTransaction.objects.get(kind="refund")
    assert (
        sandbox_refund.refund_of_id == txns[1].pk
        and sandbox_refund.refund_reference == refund.reference
    )

    outcomes = list(
        GatewayNotification.objects.filter(order_reference=order.reference)
        .order_by("id")
        .values_list("kind", "outcome")
    )
    assert outcomes.count(("pay", Outcome.CREDITED)) == 1
    assert outcomes.count(("pay", Outcome.DUPLICATE_PAYMENT)) == 1
    assert outcomes.count(("refund", Outcome.REFUNDED)) == 1
    assert len(outcomes) == 6  # every copy of every callback is on record

    # The second payment's callback arriving yet again (after its refund) does nothing more.
    replay = deliver(pay_body(order, txn_id=txns[1].txn_id))
    assert replay.outcome == Outcome.DUPLICATE
    assert Refund.objects.count() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # the order itself was never refunded


def test_second_payment_on_a_refunded_order_is_also_given_back(payer, committing):
    from vmo.payments import services
    from vmo.payments.gateways.sandbox import checkout_pay
    from vmo.payments.models import SandboxCheckout

    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/")
    with committing():
        checkout_pay(token=SandboxCheckout.objects.get().token)
    order.refresh_from_db()
    with committing():
        services.refund_create(order=order, amount_fen=20000, reason="refused", actor=None)
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    with committing():
        assert deliver(pay_body(order, txn_id="ST2")).outcome == Outcome.DUPLICATE_PAYMENT
    assert Refund.objects.filter(kind=RefundKind.DUPLICATE_PAYMENT, gateway_txn_id="ST2").exists()


def test_once_paid_the_other_open_pages_are_closed(payer, payer_client, committing):
    order = make_order(payer)
    pay = reverse("payments:order_pay", args=[order.reference])
    first = payer_client.post(pay)["Location"]
    second = payer_client.post(pay)["Location"]
    with committing():
        payer_client.post(first, {"action": "pay"})
    refused = payer_client.post(second, {"action": "pay"})
    assert "can no longer be made" in refused.content.decode()
    assert SandboxTransaction.objects.count() == 1
    assert not Refund.objects.exists()
