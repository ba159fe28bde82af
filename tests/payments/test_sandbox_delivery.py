"""The sandbox's own side: its callbacks over real HTTP (as with a broker), its switch-off,
and the append-only record of callbacks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vmo.payments import services
from vmo.payments.choices import OrderStatus, Outcome
from vmo.payments.gateways.sandbox import checkout_pay, notice_body, notice_deliver_once, sign
from vmo.payments.models import (
    GatewayNotification,
    SandboxCheckout,
    SandboxNotice,
    SandboxTransaction,
)

from .helpers import deliver, hook_runs, make_order, pay_body


@pytest.mark.django_db(transaction=True)
def test_callback_over_http_to_the_public_url(payer, live_server, settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0
    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/")
    checkout_pay(token=SandboxCheckout.objects.get().token)
    # The callback the sandbox owes, to be sent twice (the sandbox's own outbox row).
    body = notice_body(SandboxTransaction.objects.get())
    notice = SandboxNotice.objects.create(
        transaction=SandboxTransaction.objects.get(),
        body=body.decode(),
        signature=sign(body),
        copies=2,
        created_at=order.created_at,
    )

    # With a broker the sandbox posts to VMO_PUBLIC_BASE_URL + the callback path.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.VMO_PUBLIC_BASE_URL = live_server.url
    assert notice_deliver_once(notice.pk) == "more"
    assert notice_deliver_once(notice.pk) == "done"
    assert notice_deliver_once(notice.pk) == "done"  # nothing owed any more
    notice.refresh_from_db()
    assert (notice.deliveries, notice.attempts) == (2, 2) and notice.delivered_at
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert hook_runs(order) == 1
    outcomes = sorted(GatewayNotification.objects.values_list("outcome", flat=True))
    assert outcomes == [Outcome.CREDITED, Outcome.DUPLICATE]


@pytest.mark.django_db(transaction=True)
def test_unreachable_callback_url_is_kept_for_retry(payer, settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0
    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/")
    checkout_pay(token=SandboxCheckout.objects.get().token)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.VMO_PUBLIC_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    notice = SandboxNotice.objects.create(
        transaction=SandboxTransaction.objects.get(),
        body="{}",
        signature="x",
        copies=1,
        created_at=order.created_at,
    )
    assert notice_deliver_once(notice.pk) == "failed"
    notice.refresh_from_db()
    assert notice.deliveries == 0 and notice.attempts == 1 and notice.last_error


@pytest.mark.django_db
def test_sandbox_pages_are_gone_when_switched_off(payer, payer_client, settings):
    order = make_order(payer)
    url = payer_client.post(reverse("payments:order_pay", args=[order.reference]))["Location"]
    settings.VMO_PAYMENT_SANDBOX_ENABLED = False
    assert payer_client.get(url).status_code == 404


@pytest.mark.django_db
def test_callback_records_cannot_be_changed(payer):
    order = make_order(payer)
    record = deliver(pay_body(order, txn_id="ST1"))
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        GatewayNotification.objects.filter(pk=record.pk).update(outcome="credited")
    with pytest.raises(PermissionError):
        GatewayNotification.objects.all().delete()
