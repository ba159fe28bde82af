"""Celery tasks: thin wrappers over the registry's services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="registry.deferrals_ended")
def deferrals_ended() -> int:
    """Licences whose renewal deferral ended yesterday or before (R162 Art 75) lose the stored N;
    a missed day is caught up, since every such licence still holding N is found."""
    return services.licences_deferral_ended_recompute()
