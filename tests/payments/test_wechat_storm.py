"""The callback storm of test_callback_storm, against the WeChat Pay adapter: the order is paid
once at WeChat Pay (its callback sent twenty times over, and notified anew twice) and once more
through the sandbox; many processes deliver at the same instant. One credit, one refund."""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from django.db import connections

from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome, RefundKind
from vmo.payments.gateways.sandbox import checkout_pay, notice_body, sign
from vmo.payments.models import PaymentOrder, Refund, SandboxCheckout, SandboxTransaction

from .helpers import hook_runs, make_order
from .providers.fixtures import wechat  # noqa: F401 - the fixture


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
def test_wechat_callback_storm_credits_once(payer, settings, wechat):  # noqa: F811
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0
    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/", gateway="sandbox")
    checkout_pay(token=SandboxCheckout.objects.get().token)
    services.order_start(order=order, return_url="http://testserver/back/", gateway="wechat")
    body, headers = wechat.pay(order.reference)
    resource = wechat.transaction(wechat.orders[order.reference])
    sandbox_body = notice_body(SandboxTransaction.objects.get())

    jobs = [("wechat", body, headers)] * 20
    jobs += [("wechat", *wechat.notification("TRANSACTION.SUCCESS", resource)) for _ in range(2)]
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
    paid = {order.gateway_txn_id, refund.gateway_txn_id}
    assert paid == {resource["transaction_id"], SandboxTransaction.objects.get(kind="pay").txn_id}
