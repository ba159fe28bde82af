"""Celery tasks: thin wrappers over the services, safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from vmo.core import clock

from . import services

# A day missed (the worker was down) is caught up: the rollover is idempotent.
CATCH_UP_DAYS = 3


@shared_task(name="violations.points_rollover")
def points_rollover() -> int:
    """Close the cycles that ended yesterday (and the days before, if a run was missed)."""
    today = clock.today()
    return sum(
        services.points_rollover_for_day(day=today - timedelta(days=back))
        for back in range(CATCH_UP_DAYS)
    )


@shared_task(name="violations.binding_codes_purge")
def binding_codes_purge() -> int:
    return services.binding_codes_purge()


@shared_task(name="violations.nominations_expire")
def nominations_expire() -> int:
    """Nominations the named driver did not answer in time expire (the owner is told)."""
    return services.nominations_expire()
