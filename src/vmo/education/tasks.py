"""Celery tasks: thin wrappers over the services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="education.warnings_scan")
def warnings_scan() -> dict[str, int]:
    return services.warnings_scan()


@shared_task(name="education.full_score_scan")
def full_score_scan() -> dict[str, int]:
    return services.full_score_scan()


@shared_task(name="education.regional_warning_send")
def regional_warning_send(warning_id: int) -> int:
    return services.regional_warning_send(warning_id=warning_id)
