"""Reconciliation finds each kind of discrepancy, once, however often it runs."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from vmo.core.clock import OFFICE_TZ
from vmo.payments import services, tasks
from vmo.payments.choices import DiscrepancyKind as K
from vmo.payments.gateways.sandbox import checkout_pay
from vmo.payments.models import Discrepancy, Reconciliation, SandboxCheckout, SandboxTransaction

from .helpers import deliver, make_order, pay_body

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 10)


def _pay_at_sandbox(order):
    services.order_start(order=order, return_url="http://testserver/back/")
    checkout_pay(token=SandboxCheckout.objects.get(order_reference=order.reference).token)
    order.refresh_from_db()
    return order


@pytest.fixture
def day_of_trouble(payer, settings, committing):
    """One day with one clean payment and one of each kind of trouble."""
    with time_machine.travel(datetime(2025, 3, 10, 10, 0, tzinfo=OFFICE_TZ), tick=False):
        with committing():
            clean = _pay_at_sandbox(make_order(payer, subject_id="clean"))
        settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # callbacks lost from here on
        lost = _pay_at_sandbox(make_order(payer, subject_id="lost"))
        ghost = make_order(payer, subject_id="ghost")
        services.order_start(order=ghost, return_url="http://testserver/back/")
        deliver(pay_body(ghost, txn_id="ST-ghost"))
        wrong = _pay_at_sandbox(make_order(payer, subject_id="wrong"))
        wrong = services.order_refresh(order=wrong)
        SandboxTransaction.objects.filter(order_reference=wrong.reference).update(amount_fen=1)
        refunded = services.order_refresh(
            order=_pay_at_sandbox(make_order(payer, subject_id="refund"))
        )
        with committing():
            refund = services.refund_create(order=refunded, amount_fen=500, reason="x", actor=None)
    refund.refresh_from_db()
    ghost.refresh_from_db()
    return {"clean": clean, "lost": lost, "ghost": ghost, "wrong": wrong, "refund": refund}


def test_each_kind_is_found(day_of_trouble):
    run = services.reconcile(gateway="sandbox", day=DAY)
    found = {(d.kind, d.key) for d in run.discrepancies.all()}
    t = day_of_trouble
    lost_txn = SandboxTransaction.objects.get(order_reference=t["lost"].reference).txn_id
    assert found == {
        (K.MISSING_LOCALLY, lost_txn),
        (K.MISSING_AT_GATEWAY, "ST-ghost"),
        (K.AMOUNT_MISMATCH, t["wrong"].gateway_txn_id),
        (K.STATUS_MISMATCH, t["refund"].reference),
    }
    assert run.gateway_lines == 5  # 4 payments and 1 refund at the sandbox
    assert run.matched == 2  # the clean payment and the refunded order's payment
    assert run.discrepancy_count == 4
    mismatch = run.discrepancies.get(kind=K.AMOUNT_MISMATCH)
    assert mismatch.details == {"ours_fen": 20000, "gateway_fen": 1}
    assert mismatch.order_reference == t["wrong"].reference


def test_running_again_changes_nothing(day_of_trouble):
    first = services.reconcile(gateway="sandbox", day=DAY)
    ids = sorted(first.discrepancies.values_list("pk", flat=True))
    second = services.reconcile(gateway="sandbox", day=DAY)
    assert second.pk == first.pk
    assert Reconciliation.objects.count() == 1
    assert sorted(second.discrepancies.values_list("pk", flat=True)) == ids
    assert second.discrepancy_count == 4


def test_what_was_fixed_is_cleared_on_the_next_run(day_of_trouble):
    services.reconcile(gateway="sandbox", day=DAY)
    services.order_refresh(order=day_of_trouble["lost"])  # the active query finds the payment
    run = services.reconcile(gateway="sandbox", day=DAY)
    cleared = run.discrepancies.get(kind=K.MISSING_LOCALLY)
    assert cleared.resolved_at is not None and cleared.resolved_by is None
    assert run.discrepancy_count == 3


def test_officer_resolves_a_discrepancy(day_of_trouble, stranger):
    run = services.reconcile(gateway="sandbox", day=DAY)
    item = run.discrepancies.get(kind=K.MISSING_AT_GATEWAY)
    with pytest.raises(ValidationError) as empty:
        services.discrepancy_resolve(discrepancy=item, actor=stranger, resolution=" ")
    assert "resolution" in empty.value.message_dict
    services.discrepancy_resolve(
        discrepancy=item, actor=stranger, resolution="Gateway confirmed by phone"
    )
    item.refresh_from_db()
    assert item.resolved_by == stranger and item.resolution == "Gateway confirmed by phone"
    with pytest.raises(ValidationError):
        services.discrepancy_resolve(discrepancy=item, actor=stranger, resolution="again")
    # A resolved item stays resolved when the next run still sees the difference.
    services.reconcile(gateway="sandbox", day=DAY)
    item.refresh_from_db()
    assert item.resolution == "Gateway confirmed by phone"
    assert Discrepancy.objects.filter(kind=K.MISSING_AT_GATEWAY).count() == 1


def test_a_quiet_day_is_clean(db):
    run = services.reconcile(gateway="sandbox", day=DAY)
    assert (run.gateway_lines, run.local_records, run.discrepancy_count) == (0, 0, 0)


def test_daily_task_reconciles_yesterday(day_of_trouble):
    with time_machine.travel(datetime(2025, 3, 11, 2, 0, tzinfo=OFFICE_TZ), tick=False):
        tasks.reconcile_yesterday.delay()
    run = Reconciliation.objects.get()
    assert run.statement_date == DAY and run.discrepancy_count == 4
