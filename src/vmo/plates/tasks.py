"""Celery tasks: thin wrappers over the services, safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from vmo.core import clock

from . import services


@shared_task(name="plates.seed_commit")
def seed_commit() -> str:
    """Publish tomorrow's commitment (and today's, if the run before was missed)."""
    today = clock.today()
    services.seed_commit(day=today)
    return services.seed_commit(day=today + timedelta(days=1)).commitment


@shared_task(name="plates.seeds_reveal")
def seeds_reveal() -> int:
    return services.seeds_reveal()


@shared_task(name="plates.reservations_expire")
def reservations_expire() -> int:
    """Release what was not registered in time, then remind those whose day is near."""
    released = services.reservations_expire()
    services.reservation_reminders_send()
    return released
