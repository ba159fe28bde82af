"""Who sees what: the payer alone sees an order and its receipt; officers reconcile."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.accounts.permissions import CAPABILITIES
from vmo.payments import services
from vmo.payments.gateways.sandbox import checkout_pay
from vmo.payments.models import SandboxCheckout

from .helpers import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_order(payer, committing):
    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/")
    with committing():
        checkout_pay(token=SandboxCheckout.objects.get().token)
    order.refresh_from_db()
    return order


def _pages(order):
    return [
        reverse("payments:order_detail", args=[order.reference]),
        reverse("payments:order_return", args=[order.reference]),
        reverse("payments:order_receipt", args=[order.reference]),
    ]


def test_only_the_payer_sees_the_order(paid_order, client, stranger):
    for url in _pages(paid_order):
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(stranger)
    for url in _pages(paid_order):
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("payments:order_pay", args=[paid_order.reference])).status_code == 404
    )


def test_officers_do_not_see_citizens_orders(paid_order, client):
    officer = OfficerFactory(role="supervisor")
    sign_in_verified(client, officer)
    assert client.get(_pages(paid_order)[0]).status_code == 404


def test_receipt_pdf_carries_the_reference(paid_order, payer_client):
    answer = payer_client.get(reverse("payments:order_receipt", args=[paid_order.reference]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert f"receipt-{paid_order.reference}.pdf" in answer["Content-Disposition"]
    pdf = answer.content
    assert pdf.startswith(b"%PDF")
    assert b"FontFile2" in pdf  # the TrueType font is embedded, not merely named
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert paid_order.reference in text
    assert "交通违法罚款" in text  # the description, in Chinese, extracted from the PDF
    assert "¥200.00" in text


def test_unpaid_order_has_no_receipt(payer, payer_client):
    order = make_order(payer)
    assert (
        payer_client.get(reverse("payments:order_receipt", args=[order.reference])).status_code
        == 404
    )


def test_return_shows_paid_before_the_callback(payer, payer_client, settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # the callback has not come (and never will)
    order = make_order(payer)
    url = payer_client.post(reverse("payments:order_pay", args=[order.reference]))["Location"]
    payer_client.post(url, {"action": "pay"})
    order.refresh_from_db()
    assert order.status == "pending"
    page = payer_client.get(
        reverse("payments:order_return", args=[order.reference]), follow=True
    ).content.decode()
    assert "Payment received" in page
    order.refresh_from_db()
    assert order.status == "paid"


@pytest.fixture
def reconciler(client, monkeypatch):
    # Until accounts grants "payments.reconcile" to supervisors, grant it here.
    monkeypatch.setitem(
        CAPABILITIES, "supervisor", CAPABILITIES["supervisor"] | {"payments.reconcile"}
    )
    sign_in_verified(client, OfficerFactory(role="supervisor"))
    return client


def test_reconciliation_page_needs_the_capability(client):
    url = reverse("payments:reconciliation")
    assert client.get(url).status_code == 302  # to the officers' sign-in
    sign_in_verified(client, OfficerFactory(role="clerk"))
    assert client.get(url).status_code == 403


def test_officer_runs_and_resolves(reconciler, paid_order, django_assert_max_num_queries):
    from datetime import timedelta

    from vmo.core import clock
    from vmo.payments.models import Discrepancy, SandboxTransaction

    url = reverse("payments:reconciliation")
    SandboxTransaction.objects.update(amount_fen=1)
    today = clock.today()
    assert reconciler.post(url, {"day": today.isoformat()}).status_code == 200  # today: refused
    from vmo.payments.models import Reconciliation

    assert not Reconciliation.objects.exists()
    services.reconcile(gateway="sandbox", day=today)
    services.reconcile(gateway="sandbox", day=today - timedelta(days=1))
    with django_assert_max_num_queries(12):
        page = reconciler.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Amounts differ" in body and paid_order.reference in body
    item = Discrepancy.objects.get()
    answer = reconciler.post(
        reverse("payments:discrepancy_resolve", args=[item.pk]),
        {f"d{item.pk}-resolution": "Sandbox data edited by a test"},
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.resolved_at is not None and item.resolution == "Sandbox data edited by a test"
    assert "No open discrepancies" in reconciler.get(url).content.decode()


def test_order_page_query_count(paid_order, payer_client, django_assert_max_num_queries):
    from vmo.payments.choices import RefundKind
    from vmo.payments.models import Refund

    for n in range(3):
        Refund.objects.create(
            order=paid_order,
            reference=f"RF{n}",
            kind=RefundKind.REQUESTED,
            gateway="sandbox",
            gateway_txn_id=paid_order.gateway_txn_id,
            amount_fen=100,
            reason="x",
            created_at=paid_order.created_at,
        )
    # Session (read, save), user, office configuration (made on first use), the order, its
    # refunds in one query: not one query per refund.
    with django_assert_max_num_queries(11):
        page = payer_client.get(reverse("payments:order_detail", args=[paid_order.reference]))
    assert page.content.decode().count("RF") >= 3


def test_orders_expire_task(payer):
    from datetime import timedelta

    from vmo.core import clock
    from vmo.payments import tasks
    from vmo.payments.models import PaymentOrder

    order = make_order(payer, expires_at=clock.now() - timedelta(minutes=1))
    assert tasks.orders_expire.delay().get() == 1
    assert PaymentOrder.objects.get(pk=order.pk).status == "closed"
