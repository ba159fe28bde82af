"""Celery tasks of accounts: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task

from .services import codes_purge


@shared_task(name="accounts.codes_purge")
def codes_purge_task() -> int:
    """Delete one-time codes a day past their expiry (run daily by beat)."""
    return codes_purge()
