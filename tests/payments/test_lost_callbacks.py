"""A paid fine turns paid without the payer coming back (issue 14: with the database down during
callbacks, the sandbox dropped its own notifications and paid orders stayed pending): the sandbox
sends a callback we did not accept again with back-off, as Alipay does; a first copy whose task
was lost is sent by the sweep; and an order left pending past a few minutes is asked about."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.faults.servers import closed_port
from vmo.core import clock
from vmo.payments import services
from vmo.payments.choices import OrderStatus
from vmo.payments.gateways.sandbox import (
    RESEND_AFTER,
    checkout_pay,
    notice_deliver_once,
    notices_resend,
)
from vmo.payments.models import SandboxCheckout, SandboxNotice

from .helpers import hook_runs, make_order


def _paid_at_the_sandbox(payer):
    order = make_order(payer)
    services.order_start(order=order, return_url="http://testserver/back/")
    checkout_pay(token=SandboxCheckout.objects.get().token)
    return order


def _later(minutes: float):
    return time_machine.travel(clock.now() + timedelta(minutes=minutes), tick=True)


@pytest.mark.django_db(transaction=True)
def test_a_callback_we_did_not_accept_is_sent_again_with_back_off(payer, live_server, settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # no task queued: its first copy is sent below
    order = _paid_at_the_sandbox(payer)
    SandboxNotice.objects.update(copies=1)
    notice = SandboxNotice.objects.get()
    # The sandbox posts over HTTP (as with a broker) while our service is away.
    settings.VMO_PUBLIC_BASE_URL = f"http://127.0.0.1:{closed_port()}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port()}//"  # no broker
    assert notice_deliver_once(notice.pk) == "failed"
    notice.refresh_from_db()
    assert (notice.attempts, notice.deliveries) == (1, 0) and notice.last_error
    assert notice.next_attempt_at - clock.now() <= RESEND_AFTER[0]
    assert notices_resend() == {"sent": 0, "failed": 0}  # not due yet

    with _later(2):
        assert notices_resend() == {"sent": 0, "failed": 1}  # still away: later again
        notice.refresh_from_db()
        assert notice.attempts == 2
        assert notice.next_attempt_at - clock.now() > RESEND_AFTER[1] - timedelta(seconds=5)
    settings.VMO_PUBLIC_BASE_URL = live_server.url  # our service is back
    with _later(3):
        assert notices_resend() == {"sent": 0, "failed": 0}  # its next try is not due yet
    with _later(7):
        assert notices_resend() == {"sent": 1, "failed": 0}
        assert notices_resend() == {"sent": 0, "failed": 0}  # accepted: never again
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and hook_runs(order) == 1
    notice.refresh_from_db()
    assert (notice.deliveries, notice.attempts, notice.next_attempt_at) == (1, 3, None)


@pytest.mark.django_db
def test_a_first_copy_whose_task_was_lost_is_sent_by_the_sweep(payer, settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # no task queued at all
    order = _paid_at_the_sandbox(payer)
    SandboxNotice.objects.update(copies=1)  # as an outage leaves it: owed, never tried
    assert notices_resend() == {"sent": 0, "failed": 0}  # its task may still be on its way
    with _later(2):
        assert notices_resend() == {"sent": 1, "failed": 0}
        assert notices_resend() == {"sent": 0, "failed": 0}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and hook_runs(order) == 1


@pytest.mark.django_db
def test_an_order_left_pending_is_asked_about_and_turns_paid(payer, settings):
    settings.VMO_PAYMENT_SANDBOX_DUPLICATES = 0  # every callback lost, the payer never back
    order = _paid_at_the_sandbox(payer)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert services.orders_query_pending() == 0  # too young: its callback may be on its way
    with _later(services.QUERY_PENDING_AFTER.total_seconds() / 60 + 1):
        assert services.orders_query_pending() == 1
        assert services.orders_query_pending() == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and hook_runs(order) == 1


def test_both_sweeps_are_on_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"payments.sandbox_notices_resend", "payments.orders_query_pending"} <= tasks
