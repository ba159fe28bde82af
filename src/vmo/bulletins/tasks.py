"""Celery tasks: thin wrappers over the services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="bulletins.publish_due")
def publish_due() -> list[int]:
    """Publish scheduled announcements whose time has come; expire those past their time."""
    published, expired = services.announcements_publish_due()
    return [published, expired]


@shared_task(name="bulletins.drafts_generate")
def drafts_generate() -> int:
    """Draft announcements listing newly revoked, cancelled, void... records, for review."""
    return len(services.announcement_drafts_generate())


@shared_task(name="bulletins.publications_generate")
def publications_generate() -> int:
    """Build the publications due today (daily, monthly, and changed tables)."""
    return len(services.publications_generate())
