"""The payment pages in a real browser: axe-core on each, at 360px, and paying with
JavaScript off (the hosted page and the return are plain forms and redirects)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.browser import PHONE, assert_accessible
from tests.factories import OfficerFactory
from tests.office.conftest import sign_in_verified
from vmo.accounts.permissions import CAPABILITIES
from vmo.payments import services

from .helpers import make_order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _signed_in_page(page_factory, live_server, user, *, officer=False, **kwargs):
    client = Client()
    if officer:
        sign_in_verified(client, user)
        client.defaults.pop("HTTP_ACCEPT_LANGUAGE", None)
    else:
        client.force_login(user)
    page = page_factory(**kwargs)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_pay_on_a_phone(page_factory, live_server, payer, javascript, settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 1
    order = make_order(payer)
    page = _signed_in_page(page_factory, live_server, payer, viewport=PHONE, javascript=javascript)
    page.goto(f"{live_server.url}/payments/orders/{order.reference}/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    if javascript:
        assert_accessible(page, "payments-order-zh-phone")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/payments/sandbox/pay/**")
    if javascript:
        assert_accessible(page, "payments-sandbox-zh-phone")
    page.locator("button[name=action][value=pay]").click()
    page.wait_for_url(f"**/payments/orders/{order.reference}/")
    order.refresh_from_db()
    assert order.status == "paid"
    assert "¥200.00" in page.locator("main").inner_text()
    if javascript:
        assert_accessible(page, "payments-order-paid-zh-phone")


def test_reconciliation_page_is_accessible(page_factory, live_server, payer, monkeypatch):
    monkeypatch.setitem(
        CAPABILITIES, "supervisor", CAPABILITIES["supervisor"] | {"payments.reconcile"}
    )
    from vmo.core import clock
    from vmo.payments.gateways.sandbox import checkout_pay
    from vmo.payments.models import SandboxCheckout, SandboxTransaction

    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/")
    checkout_pay(token=SandboxCheckout.objects.get().token)
    SandboxTransaction.objects.update(amount_fen=1)
    services.reconcile(gateway="sandbox", day=clock.today())
    page = _signed_in_page(
        page_factory, live_server, OfficerFactory(role="supervisor"), officer=True
    )
    page.goto(f"{live_server.url}/payments/office/reconciliation/")
    assert page.locator("h1").count() == 1
    assert_accessible(page, "payments-reconciliation-zh-desktop")
