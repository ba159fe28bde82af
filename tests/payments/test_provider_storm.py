"""The guarantees of the sandbox (test_callback_storm), against each real provider's adapter
and its local protocol server, in its desktop and its phone flow: the order is paid once at the
provider (its notification sent twenty times over, and notified anew twice) and once more
through the sandbox, and many processes deliver at the same instant: one credit, the second
payment refunded automatically. And a paid order shows paid on return when the provider's
notification is lost."""

from __future__ import annotations

import multiprocessing
import urllib.request
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connections

from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome, RefundKind, RefundStatus
from vmo.payments.gateways.base import Payer
from vmo.payments.gateways.sandbox import checkout_pay, notice_body, sign
from vmo.payments.models import PaymentOrder, Refund, SandboxCheckout, SandboxTransaction

from .helpers import hook_runs, make_order
from .providers.fixtures import alipay, wechat  # noqa: F401 - the fixtures


@dataclass
class Provider:
    """What a test does at a provider, the same for each: pay, be notified again, look."""

    name: str
    server: Any
    device: str = "desktop"  # "phone": WeChat Pay H5, Alipay's phone cashier (wap.pay)

    def start(self, order: PaymentOrder) -> None:
        url = services.order_start(
            order=order,
            return_url="http://testserver/back/",
            gateway=self.name,
            payer=Payer(device=self.device, ip="203.0.113.7"),  # type: ignore[arg-type]
        )
        if self.name == "alipay" or self.device == "phone":
            # The payer's browser reaches the cashier (Alipay) or the H5 page with the order.
            urllib.request.urlopen(url, timeout=5).close()

    def pay(self, order: PaymentOrder) -> tuple[bytes, dict[str, str]]:
        return self.server.pay(order.reference)

    def notify_again(self, order: PaymentOrder) -> tuple[bytes, dict[str, str]]:
        if self.name == "wechat":
            resource = self.server.transaction(self.server.orders[order.reference])
            return self.server.notification("TRANSACTION.SUCCESS", resource)
        return self.server.pay_notification(order.reference)

    def txn_id(self, order: PaymentOrder) -> str:
        if self.name == "wechat":
            return self.server.orders[order.reference]["transaction_id"]
        return self.server.trades[order.reference]["trade_no"]

    def refunded(self, txn_id: str) -> list[Any]:
        if self.name == "wechat":
            return [
                r for r in self.server.refunds.values() if r["resource"]["transaction_id"] == txn_id
            ]
        return [r for r in self.server.refunds.values() if r["trade_no"] == txn_id]


@pytest.fixture(params=["wechat", "alipay", "wechat:phone", "alipay:phone"])
def provider(request) -> Provider:
    name, _, device = request.param.partition(":")
    return Provider(name, request.getfixturevalue(name), device or "desktop")


def _deliver(gateway, body, headers, barrier, results) -> None:
    try:
        barrier.wait(timeout=60)
        record = services.notification_process(gateway=gateway, body=body, headers=headers)
        results.put(record.outcome)
    except Exception as exc:  # reported to the parent, which fails the test
        results.put(f"error:{exc!r}")
    finally:
        connections.close_all()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_notification_storm_credits_once_and_refunds_the_second_payment(payer, settings, provider):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0
    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/", gateway="sandbox")
    checkout_pay(token=SandboxCheckout.objects.get().token)
    provider.start(order)
    body, headers = provider.pay(order)
    sandbox_body = notice_body(SandboxTransaction.objects.get())

    jobs = [(provider.name, body, headers)] * 20
    jobs += [(provider.name, *provider.notify_again(order)) for _ in range(2)]
    jobs += [("sandbox", sandbox_body, {"X-Sandbox-Signature": sign(sandbox_body)})] * 2

    context = multiprocessing.get_context("fork")
    connections.close_all()
    barrier = context.Barrier(len(jobs))
    results = context.Queue()
    processes = [context.Process(target=_deliver, args=(*job, barrier, results)) for job in jobs]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in jobs]
    for process in processes:
        process.join(timeout=60)

    counts = Counter(outcomes)
    assert not [o for o in outcomes if o.startswith(("error:", "failed:"))], counts
    assert counts[Outcome.CREDITED] == 1, counts
    assert counts[Outcome.DUPLICATE_PAYMENT] == 1, counts
    assert counts[Outcome.DUPLICATE] == len(jobs) - 2, counts
    order = PaymentOrder.objects.get(pk=order.pk)
    assert order.status == OrderStatus.PAID and hook_runs(order) == 1
    refund = Refund.objects.get()
    assert refund.kind == RefundKind.DUPLICATE_PAYMENT
    provider_txn = provider.txn_id(order)
    sandbox_txn = SandboxTransaction.objects.get(kind="pay").txn_id
    assert {order.gateway_txn_id, refund.gateway_txn_id} == {provider_txn, sandbox_txn}
    # The refund went out (the task ran after commit in the process that found the duplicate).
    assert refund.status == RefundStatus.SUBMITTED
    if refund.gateway == provider.name:
        assert len(provider.refunded(provider_txn)) == 1
    else:
        assert SandboxTransaction.objects.filter(kind="refund").count() == 1


@pytest.mark.django_db
def test_paid_order_shows_paid_on_return_when_the_notification_is_lost(
    payer, payer_client, provider
):
    order = make_order(payer)
    provider.start(order)
    provider.pay(order)  # paid at the provider; its notification never arrives
    response = payer_client.get(f"/payments/orders/{order.reference}/return/", follow=True)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.gateway_txn_id == provider.txn_id(order)
    assert "Payment received" in response.content.decode()
    assert hook_runs(order) == 1
