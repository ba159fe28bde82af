"""Reads of the outbox."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from vmo.registry.models import phone_lookup_hash

from .choices import Channel
from .models import Message


def latest_sms_to(phone: str) -> Message | None:
    """The newest SMS queued for a phone number (tests and demos read one-time codes here)."""
    return (
        Message.objects.filter(channel=Channel.SMS, recipient_hash=phone_lookup_hash(phone))
        .order_by("-created_at", "-id")
        .first()
    )


def inbox_for(user: Any) -> QuerySet[Message]:
    """The user's in-app messages, newest first."""
    return Message.objects.filter(channel=Channel.IN_APP, user=user).order_by("-created_at", "-id")
