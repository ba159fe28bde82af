"""The outbox rows themselves: one SMS (one-time codes), one in-app post, the keys taken."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.registry.lookup import phone_lookup_hash
from vmo.registry.validators import normalise_phone

from ..choices import Channel, MessageStatus
from ..delivery import publish_after_commit
from ..models import Message

if TYPE_CHECKING:
    # notices sits below accounts: any user model of the project.
    from django.contrib.auth.base_user import AbstractBaseUser as User

DELIVERED_CHANNELS = (Channel.SMS, Channel.EMAIL)


def _create_once(*, dedup_key: str | None, **fields: Any) -> Message:
    """Create the row, or return the one already written under the same dedup key."""
    if dedup_key:
        existing = Message.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    try:
        # A savepoint, so a concurrent duplicate does not break the caller's transaction.
        with transaction.atomic():
            return Message.objects.create(
                dedup_key=dedup_key or None, created_at=clock.now(), **fields
            )
    except IntegrityError:
        if not dedup_key:
            raise
        return Message.objects.get(dedup_key=dedup_key)


def context_json(*, context: Mapping[str, Any] | None) -> str:
    """The context values kept with an SMS for template providers (strings, as they take)."""
    if not context:
        return ""
    return json.dumps({key: str(value) for key, value in context.items()}, ensure_ascii=False)


def sms_signed(*, text: str, signature: str | None = None) -> str:
    """The text with the office's signature in front, as it is sent."""
    return f"{office_config().sms_signature if signature is None else signature}{text}"


def sms_send(
    *,
    phone: str,
    body: str,
    kind: str,
    user: User | None = None,
    dedup_key: str | None = None,
    not_before: datetime | None = None,
    one_time_code: bool = False,
    context: Mapping[str, Any] | None = None,
) -> Message:
    """Queue an SMS in the outbox; it goes out only if the caller's transaction commits
    (one-time codes: at once, on their own queue, or inline without a broker)."""
    number = normalise_phone(phone)
    with transaction.atomic():
        message = _create_once(
            dedup_key=dedup_key,
            channel=Channel.SMS,
            kind=kind,
            user=user,
            recipient=number,
            recipient_hash=phone_lookup_hash(number),
            body=sms_signed(text=body),
            context=context_json(context=context),
            status=MessageStatus.CREATED,
            not_before=not_before,
        )
        if message.status == MessageStatus.CREATED and not_before is None:
            publish_after_commit([message.pk], one_time_code=one_time_code)
    return message


def inbox_post(
    *, user: User, kind: str, subject: str, body: str, dedup_key: str | None = None, link: str = ""
) -> Message:
    """Put a message in the user's in-app inbox; it is delivered by being written."""
    now = clock.now()
    with transaction.atomic():
        return _create_once(
            dedup_key=dedup_key,
            channel=Channel.IN_APP,
            kind=kind,
            user=user,
            subject=subject[:200],
            body=body,
            link=link,
            status=MessageStatus.SENT,
            sent_at=now,
        )


# Keys per lookup of the outbox's dedup keys.
INBOX_BULK_BATCH = 1000


def _keys_taken(keys: list[str]) -> set[str | None]:
    taken: set[str | None] = set()
    for start in range(0, len(keys), INBOX_BULK_BATCH):
        taken.update(
            Message.objects.filter(dedup_key__in=keys[start : start + INBOX_BULK_BATCH])
            .values_list("dedup_key", flat=True)
            .iterator()
        )
    return taken


@transaction.atomic
def inbox_mark_read(*, user: User, message_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own in-app messages read (all unread if no ids); returns how many."""
    rows = Message.objects.filter(channel=Channel.IN_APP, user_id=user.pk, read_at__isnull=True)
    if message_ids is not None:
        rows = rows.filter(pk__in=list(message_ids))
    return rows.update(read_at=clock.now())
