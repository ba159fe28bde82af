"""Celery tasks: thin wrappers over the services, safe to run twice."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from celery import shared_task

from vmo.core import clock

from . import conf, services
from .gateways import gateway_names
from .gateways.base import GatewayError

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


def _backoff(retries: int) -> int:
    return min(30 * 2**retries, 3600)


@shared_task(bind=True, name="payments.notify_deliver", max_retries=MAX_RETRIES)
def notify_deliver(self, notice_id: int) -> str:
    """The sandbox sends a callback to us; copies follow at random delays, out of order."""
    from .gateways.sandbox import notice_deliver_once

    result = notice_deliver_once(notice_id)
    if conf.tasks_eager():
        # Inline: every copy now, one after the other; a failure stays on the notice row.
        while result == "more":
            result = notice_deliver_once(notice_id)
        return result
    if result == "more":
        notify_deliver.apply_async((notice_id,), countdown=random.randint(1, 20))
    elif result == "failed":
        raise self.retry(countdown=_backoff(self.request.retries))
    return result


@shared_task(bind=True, name="payments.refund_submit", max_retries=MAX_RETRIES)
def refund_submit(self, refund_id: int) -> str:
    try:
        return services.refund_submit(refund_id=refund_id).status
    except GatewayError as exc:
        logger.warning("payments.refund_submit_failed refund=%s error=%s", refund_id, exc)
        if conf.tasks_eager():
            return "pending"  # inline there is no one to retry; the reconciliation shows it
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(name="payments.reconcile_yesterday")
def reconcile_yesterday() -> list[int]:
    day = clock.today() - timedelta(days=1)
    return [services.reconcile(gateway=name, day=day).pk for name in gateway_names()]


@shared_task(name="payments.orders_expire")
def orders_expire() -> int:
    return services.orders_expire()
