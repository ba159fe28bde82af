"""Orders: one live order per subject, replaced when the amount changes, expired when late."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from vmo.core import clock
from vmo.core.selectors import events_for
from vmo.payments import selectors, services
from vmo.payments.choices import OrderStatus
from vmo.payments.models import PaymentOrder, SandboxCheckout

from .helpers import PURPOSE, SUBJECT_TYPE, deliver, make_order, pay_body

pytestmark = pytest.mark.django_db


def test_reference_format(payer):
    order = make_order(payer)
    assert order.reference.startswith(f"PO{clock.today():%Y%m%d}")
    assert len(order.reference) == 20
    assert events_for(order).filter(action="payment.create").count() == 1


def test_asking_again_returns_the_same_open_order(payer):
    assert make_order(payer).pk == make_order(payer).pk
    assert PaymentOrder.objects.count() == 1


def test_changed_amount_replaces_the_order(payer, committing):
    old = make_order(payer, amount_fen=20000)
    services.order_start(order=old, return_url="http://testserver/back/")
    with committing():
        new = make_order(payer, amount_fen=20600)
    old.refresh_from_db()
    assert old.status == OrderStatus.CLOSED and new.status == OrderStatus.CREATED
    # The gateway was told too: the old hosted page no longer takes money.
    assert SandboxCheckout.objects.get(order_reference=old.reference).closed_at is not None


def test_paid_subject_returns_its_paid_order(payer):
    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/")
    deliver(pay_body(order, txn_id="ST1"))
    again = make_order(payer, amount_fen=99999)
    assert again.pk == order.pk and again.status == OrderStatus.PAID


def test_database_refuses_two_live_orders_for_one_subject(payer):
    make_order(payer)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentOrder.objects.create(
            reference="PO-second",
            purpose=PURPOSE,
            subject_type=SUBJECT_TYPE,
            subject_id="1",
            description="x",
            amount_fen=1,
            payer=payer,
            created_at=clock.now(),
            expires_at=clock.now(),
        )


def test_database_refuses_zero_amount(payer):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentOrder.objects.create(
            reference="PO-zero",
            purpose=PURPOSE,
            subject_type=SUBJECT_TYPE,
            subject_id="2",
            description="x",
            amount_fen=0,
            payer=payer,
            created_at=clock.now(),
            expires_at=clock.now(),
        )


def test_bad_input_names_every_problem(payer):
    with pytest.raises(ValidationError) as caught:
        services.order_create(
            payer=payer,
            purpose="",
            subject_type="x",
            subject_id="",
            amount_fen=12.5,
            description="",
            return_to="https://evil.example/",
        )
    assert set(caught.value.message_dict) == {"purpose", "subject_id", "amount_fen", "description"}
    assert not PaymentOrder.objects.exists()


def test_return_to_must_stay_on_this_site(payer):
    with pytest.raises(ValidationError) as caught:
        make_order(payer, return_to="https://evil.example/")
    assert "return_to" in caught.value.message_dict


def test_expired_orders_are_closed_but_a_paid_one_is_credited_first(payer, settings, committing):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0
    from vmo.payments.gateways.sandbox import checkout_pay

    unpaid = make_order(payer, subject_id="1")
    paid_quietly = make_order(payer, subject_id="2")
    fresh = make_order(payer, subject_id="3")
    for order in (unpaid, paid_quietly):
        services.order_start(order=order, return_url="http://testserver/back/")
    checkout_pay(token=SandboxCheckout.objects.get(order_reference=paid_quietly.reference).token)
    past = clock.now() - timedelta(minutes=1)
    PaymentOrder.objects.filter(pk__in=[unpaid.pk, paid_quietly.pk]).update(expires_at=past)
    with committing():
        assert services.orders_expire() == 1
    statuses = dict(PaymentOrder.objects.values_list("pk", "status"))
    assert statuses == {unpaid.pk: "closed", paid_quietly.pk: "paid", fresh.pk: "created"}
    assert SandboxCheckout.objects.get(order_reference=unpaid.reference).closed_at is not None


def test_expired_order_cannot_be_started(payer):
    order = make_order(payer, expires_at=clock.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.order_start(order=order, return_url="http://testserver/back/")


def test_closing_an_unpaid_order(payer):
    order = make_order(payer)
    services.order_close(order=order, actor=None, reason="fine cancelled")
    assert (
        selectors.order_for_subject(subject_type=SUBJECT_TYPE, subject_id="1", purpose=PURPOSE)
        is None
    )
    with pytest.raises(ValidationError):
        services.order_close(order=order, actor=None, reason="again")
