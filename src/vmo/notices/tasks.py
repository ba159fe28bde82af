"""Celery tasks: thin wrappers over the services, each safe to run twice or in two workers."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.db import transaction

from vmo.core import clock

from . import delivery

logger = logging.getLogger("vmo.notices")


@shared_task(name="notices.deliver", acks_late=True, ignore_result=True)
def deliver(message_id: int) -> None:
    delivery.message_deliver(message_id=message_id)


@shared_task(name="notices.deliver_code", acks_late=True, ignore_result=True)
def deliver_code(message_id: int) -> None:
    """The same delivery for a one-time code, routed to the "codes" queue so that it never
    waits behind a scan's thousands of notices (CELERY_TASK_ROUTES)."""
    delivery.message_deliver(message_id=message_id)


@shared_task(name="notices.dispatch", ignore_result=True)
def dispatch() -> int:
    """The sweeper: queue every due SMS and e-mail row, fail the stuck ones."""
    return delivery.messages_dispatch()


def _dispatch_now() -> None:
    try:
        dispatch.apply_async(retry=False)
    except Exception as exc:  # broker down: beat's next sweep does it
        if dispatch.app.conf.task_always_eager:
            raise
        logger.warning("notices dispatch not queued error=%s", type(exc).__name__)


def dispatch_after_commit() -> None:
    transaction.on_commit(_dispatch_now, robust=True)


@shared_task(name="notices.scans_run", ignore_result=True)
def scans_run(day: str | None = None) -> dict[str, int]:
    """Run every registered daily scan for ``day`` (ISO date; today if None)."""
    from .scans import scans_run as run

    when = date.fromisoformat(day) if day else clock.today()
    return run(day=when)
