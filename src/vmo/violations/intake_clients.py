"""Intake clients: the systems that deliver camera records through the API, each with a key
of its own (never a person's token). Only the key's SHA-256 hash is kept; the key is shown once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from vmo.core import clock
from vmo.core.services import event_record

from .models import IntakeClient

if TYPE_CHECKING:
    from vmo.accounts.models import User


def intake_key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def intake_client_for_key(raw: str) -> IntakeClient | None:
    """The active client behind an API key, or None."""
    if not raw:
        return None
    client = IntakeClient.objects.filter(key_hash=intake_key_hash(raw), active=True).first()
    if client is None:
        return None
    now = clock.now()
    if client.last_used_at is None or now - client.last_used_at > timedelta(minutes=1):
        # At most one write a minute per client, however often it delivers.
        IntakeClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


@transaction.atomic
def intake_client_create(*, name: str, actor: User | None = None) -> tuple[str, IntakeClient]:
    """A new intake client. The raw key is returned once and never stored."""
    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise ValidationError({"name": [gettext("Give the client a name of 1 to 80 characters.")]})
    if IntakeClient.objects.filter(name=name).exists():
        raise ValidationError({"name": [gettext("An intake client with this name exists.")]})
    raw = f"vmoi_{secrets.token_urlsafe(32)}"
    client = IntakeClient.objects.create(
        name=name, key_hash=intake_key_hash(raw), prefix=raw[:8], created_at=clock.now()
    )
    event_record(
        actor=actor, subject=client, action="intake_client.create", after={"prefix": client.prefix}
    )
    return raw, client


@transaction.atomic
def intake_client_set_active(*, client: IntakeClient, active: bool, actor: User) -> IntakeClient:
    client = IntakeClient.objects.select_for_update().get(pk=client.pk)
    if client.active != active:
        client.active = active
        client.save(update_fields=["active"])
        event_record(
            actor=actor,
            subject=client,
            action="intake_client.activate" if active else "intake_client.deactivate",
            before={"active": not active},
            after={"active": active},
        )
    return client
