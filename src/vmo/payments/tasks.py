"""Celery tasks: thin wrappers over the services, safe to run twice."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError

from vmo.core import clock

from . import conf, services
from .gateways import gateway_names
from .gateways.base import GatewayError

logger = logging.getLogger(__name__)

MAX_RETRIES = 8


def _backoff(retries: int) -> int:
    return min(30 * 2**retries, 3600)


@shared_task(name="payments.notify_deliver")
def notify_deliver(notice_id: int) -> str:
    """The sandbox sends a callback to us; copies follow at random delays, out of order."""
    from .gateways.sandbox import notice_deliver_once

    try:
        result = notice_deliver_once(notice_id)
        if conf.tasks_eager():
            # Inline: every copy now, one after the other; a failure stays on the notice row.
            while result == "more":
                result = notice_deliver_once(notice_id)
            return result
    except DatabaseError as exc:
        # The sandbox's own records are out of reach (issue 14: the callback was dropped here
        # and never sent again): the notice row stays owed, and notices_resend sends it later.
        logger.warning("payments.sandbox_notice_deferred notice=%s error=%s", notice_id, exc)
        return "deferred"
    if result == "more":
        notify_deliver.apply_async((notice_id,), countdown=random.randint(1, 20))
    # "failed": the row carries its next try (RESEND_AFTER); the resend sweep makes it.
    return result


@shared_task(name="payments.sandbox_notices_resend", ignore_result=True)
def sandbox_notices_resend() -> dict[str, int]:
    from .gateways.sandbox import notices_resend

    return notices_resend()


@shared_task(name="payments.orders_query_pending", ignore_result=True)
def orders_query_pending() -> int:
    return services.orders_query_pending()


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
