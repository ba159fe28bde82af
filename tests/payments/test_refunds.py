"""Refunds of fees: partial allowed, never more than paid minus what was already asked for."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome, RefundStatus
from vmo.payments.gateways.sandbox import checkout_pay
from vmo.payments.models import SandboxCheckout, SandboxTransaction

from .helpers import deliver, hook_runs, make_order, refund_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(payer, committing):
    order = make_order(payer, amount_fen=10000, purpose="test.fee")
    services.order_start(order=order, return_url="http://testserver/back/")
    with committing():
        checkout_pay(token=SandboxCheckout.objects.get().token)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    return order


def test_partial_then_rest(paid_order, committing, stranger):
    with committing():
        first = services.refund_create(
            order=paid_order, amount_fen=3000, reason="part", actor=stranger
        )
    first.refresh_from_db()
    paid_order.refresh_from_db()
    assert first.status == RefundStatus.SUCCEEDED and first.requested_by == stranger
    assert paid_order.status == OrderStatus.PARTIALLY_REFUNDED
    assert paid_order.refunded_amount_fen == 3000
    with committing():
        services.refund_create(order=paid_order, amount_fen=7000, reason="rest", actor=None)
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert paid_order.refunded_amount_fen == 10000
    assert sum(t.amount_fen for t in SandboxTransaction.objects.filter(kind="refund")) == 10000


def test_never_more_than_paid(paid_order, committing):
    with pytest.raises(ValidationError) as too_much:
        services.refund_create(order=paid_order, amount_fen=10001, reason="x", actor=None)
    assert "¥100.00" in str(too_much.value.message_dict["amount_fen"])
    with committing():
        services.refund_create(order=paid_order, amount_fen=6000, reason="x", actor=None)
    with pytest.raises(ValidationError) as rest:
        services.refund_create(order=paid_order, amount_fen=4001, reason="x", actor=None)
    assert "¥40.00" in str(rest.value.message_dict["amount_fen"])


def test_pending_refunds_count_against_the_limit(paid_order):
    # Not committed: the refund is asked for but not yet sent. A second ask must still be capped.
    services.refund_create(order=paid_order, amount_fen=8000, reason="x", actor=None)
    with pytest.raises(ValidationError):
        services.refund_create(order=paid_order, amount_fen=2001, reason="x", actor=None)


def test_every_problem_named_at_once(payer):
    order = make_order(payer)
    with pytest.raises(ValidationError) as caught:
        services.refund_create(order=order, amount_fen=0, reason=" ", actor=None)
    assert set(caught.value.message_dict) == {"order", "amount_fen", "reason"}


def test_failed_refund_frees_the_amount(paid_order, settings, committing):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0
    with committing():
        refund = services.refund_create(order=paid_order, amount_fen=10000, reason="x", actor=None)
    refund.refresh_from_db()
    outcome = deliver(refund_body(paid_order, refund, refund_no=refund.gateway_refund_id, ok=False))
    assert outcome.outcome == Outcome.REFUND_FAILED
    refund.refresh_from_db()
    assert refund.status == RefundStatus.FAILED
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.PAID
    assert services.refundable_fen(paid_order) == 10000


def test_refund_hook_runs_once_per_refund(paid_order, committing):
    with committing():
        services.refund_create(order=paid_order, amount_fen=10000, reason="refused", actor=None)
    # Two copies of the refund callback were delivered; the hook ran once.
    assert hook_runs(paid_order, "test.hook_refunded") == 0  # registered for test.fine only
    from vmo.payments.models import GatewayNotification

    kinds = list(
        GatewayNotification.objects.filter(kind="refund").values_list("outcome", flat=True)
    )
    assert sorted(kinds) == [Outcome.DUPLICATE, Outcome.REFUNDED]


def test_refund_wrong_amount_is_refused(paid_order, settings, committing):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0
    with committing():
        refund = services.refund_create(order=paid_order, amount_fen=5000, reason="x", actor=None)
    refund.refresh_from_db()
    record = deliver(refund_body(paid_order, refund, refund_no="SR1", amount_fen=9999))
    assert record.outcome == Outcome.rejected("amount_mismatch")
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUBMITTED
