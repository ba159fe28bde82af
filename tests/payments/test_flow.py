"""The whole path with the sandbox: order → hosted page → signed callback → paid."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vmo.payments.choices import OrderStatus, Outcome
from vmo.payments.models import GatewayNotification, SandboxNotice, SandboxTransaction

from .helpers import hook_runs, make_order

pytestmark = pytest.mark.django_db


def test_order_to_paid_through_the_hosted_page(payer, payer_client, committing):
    order = make_order(payer, return_to="/payments/done-here/")
    page = payer_client.get(reverse("payments:order_detail", args=[order.reference]))
    assert page.status_code == 200
    assert "¥200.00" in page.content.decode()

    started = payer_client.post(reverse("payments:order_pay", args=[order.reference]))
    assert started.status_code == 302
    sandbox_url = started["Location"]
    assert sandbox_url.startswith("/payments/sandbox/pay/")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING

    hosted = payer_client.get(sandbox_url)
    assert hosted.status_code == 200
    assert "Pay ¥200.00" in hosted.content.decode()

    with committing():
        paid = payer_client.post(sandbox_url, {"action": "pay"})
    assert paid.status_code == 302
    assert paid["Location"].endswith(f"/payments/orders/{order.reference}/return/")

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_amount_fen == 20000
    txn = SandboxTransaction.objects.get(order_reference=order.reference)
    assert order.gateway_txn_id == txn.txn_id
    # The sandbox sent its callback twice: one credit, one duplicate, the hook ran once.
    outcomes = sorted(
        GatewayNotification.objects.filter(order_reference=order.reference).values_list(
            "outcome", flat=True
        )
    )
    assert outcomes == [Outcome.CREDITED, Outcome.DUPLICATE]
    assert hook_runs(order) == 1
    assert SandboxNotice.objects.get().deliveries == 2

    back = payer_client.get(paid["Location"])
    assert back.status_code == 302
    assert back["Location"] == "/payments/done-here/"


def test_paid_order_page_offers_the_receipt_and_no_pay_button(payer, payer_client, committing):
    order = make_order(payer)
    url = payer_client.post(reverse("payments:order_pay", args=[order.reference]))["Location"]
    with committing():
        payer_client.post(url, {"action": "pay"})
    page = payer_client.get(
        reverse("payments:order_detail", args=[order.reference])
    ).content.decode()
    assert reverse("payments:order_receipt", args=[order.reference]) in page
    assert reverse("payments:order_pay", args=[order.reference]) not in page
    # The hosted page cannot be paid a second time.
    again = payer_client.post(url, {"action": "pay"})
    assert "can no longer be made" in again.content.decode()
    assert SandboxTransaction.objects.count() == 1


def test_cancel_on_the_hosted_page_takes_no_money(payer, payer_client, committing):
    order = make_order(payer)
    url = payer_client.post(reverse("payments:order_pay", args=[order.reference]))["Location"]
    with committing():
        back = payer_client.post(url, {"action": "cancel"})
    assert back.status_code == 302
    assert not SandboxTransaction.objects.exists()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert hook_runs(order) == 0


def test_hosted_page_defaults_to_chinese(payer, client):
    order = make_order(payer)
    client.force_login(payer)
    url = client.post(reverse("payments:order_pay", args=[order.reference]))["Location"]
    page = client.get(url).content.decode()
    assert '<html lang="zh-Hans">' in page
    assert "<main" in page and "<h1>" in page
