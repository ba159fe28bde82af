"""Celery tasks of accounts: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task

from .services import codes_purge
from .services.identity import identity_checks_poll


@shared_task(name="accounts.codes_purge")
def codes_purge_task() -> int:
    """Delete one-time codes a day past their expiry (run daily by beat)."""
    return codes_purge()


@shared_task(
    name="accounts.identity_callback_deliver",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def identity_callback_deliver(body: str) -> bool:
    """The sandbox identity service sending its signed result (a real provider does it itself)."""
    from .verification.sandbox import deliver

    return deliver(body)


@shared_task(name="accounts.identity_checks_poll")
def identity_checks_poll_task() -> int:
    """Ask the identity provider for the results of pending checks (run by beat)."""
    return identity_checks_poll()
