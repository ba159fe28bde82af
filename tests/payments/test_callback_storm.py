"""A storm of concurrent callbacks on PostgreSQL: many processes, one credit.

Each process opens its own connection and delivers signed callbacks at the same instant
(a barrier releases them together). Runs only on PostgreSQL, where row locks are real;
CI runs the suite on PostgreSQL, so there it always runs.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections import Counter

import pytest
from django.db import connections

from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome, RefundKind
from vmo.payments.gateways.sandbox import checkout_pay, notice_body, sign
from vmo.payments.models import (
    GatewayNotification,
    PaymentOrder,
    Refund,
    SandboxCheckout,
    SandboxTransaction,
)

from .helpers import hook_runs, make_order

PROCESSES = 24
SAME_BODY = 20  # the very same signed bytes, as a gateway retrying would send them


def _deliver(jobs, barrier, results) -> None:
    try:
        barrier.wait(timeout=60)
        for body, headers in jobs:
            record = services.notification_process(gateway="sandbox", body=body, headers=headers)
            results.put(record.outcome)
    except Exception as exc:  # reported to the parent, which fails the test
        results.put(f"error:{exc!r}")
    finally:
        connections.close_all()


def _variant(body: bytes, n: int) -> tuple[bytes, dict[str, str]]:
    """Another copy of the same callback: new notify id, same transaction, valid signature."""
    data = json.loads(body)
    data["notify_id"] = f"{data['notify_id']}-{n}"
    changed = json.dumps(data, sort_keys=True).encode()
    return changed, {"X-Sandbox-Signature": sign(changed)}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_callback_storm_credits_once(payer, settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # the test delivers every callback itself
    order = make_order(payer)
    # Paid twice at the sandbox through two hosted pages: two real transactions.
    for _ in range(2):
        services.order_start(order=order, return_url="http://testserver/back/")
    for checkout in SandboxCheckout.objects.all():
        checkout_pay(token=checkout.token)
    first, second = SandboxTransaction.objects.order_by("id")
    body_a, body_b = notice_body(first), notice_body(second)

    jobs = [[(body_a, {"X-Sandbox-Signature": sign(body_a)})] for _ in range(SAME_BODY)]
    jobs += [[_variant(body_a, n)] for n in range(2)]
    jobs += [[_variant(body_b, n)] for n in range(PROCESSES - len(jobs))]
    deliveries = sum(len(j) for j in jobs)

    context = multiprocessing.get_context("fork")
    connections.close_all()  # no connection may be shared across fork
    barrier = context.Barrier(len(jobs))
    results = context.Queue()
    processes = [context.Process(target=_deliver, args=(j, barrier, results)) for j in jobs]
    started = time.perf_counter()
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in range(deliveries)]
    for process in processes:
        process.join(timeout=60)
    elapsed = time.perf_counter() - started
    print(f"\ncallback storm: {deliveries} deliveries from {len(jobs)} processes in {elapsed:.2f}s")

    assert all(p.exitcode == 0 for p in processes)
    counts = Counter(outcomes)
    assert not [o for o in outcomes if o.startswith(("error:", "failed:"))], counts
    assert counts[Outcome.CREDITED] == 1, counts
    assert counts[Outcome.DUPLICATE_PAYMENT] == 1, counts
    assert counts[Outcome.DUPLICATE] == deliveries - 2, counts

    order = PaymentOrder.objects.get(pk=order.pk)
    assert order.status == OrderStatus.PAID and order.paid_amount_fen == order.amount_fen
    assert order.gateway_txn_id in {first.txn_id, second.txn_id}
    assert hook_runs(order) == 1
    refund = Refund.objects.get()
    assert refund.kind == RefundKind.DUPLICATE_PAYMENT
    assert {refund.gateway_txn_id, order.gateway_txn_id} == {first.txn_id, second.txn_id}
    assert GatewayNotification.objects.filter(order_reference=order.reference).count() == deliveries
    assert (
        GatewayNotification.objects.filter(
            outcome=Outcome.CREDITED, txn_id=order.gateway_txn_id
        ).count()
        == 1
    )
