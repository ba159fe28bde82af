"""Writes of the outbox: messages are written in the caller's transaction, delivered after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.registry.models import phone_lookup_hash
from vmo.registry.validators import normalise_phone

from .choices import Channel, MessageStatus
from .models import Message
from .sms import SmsError, get_backend

logger = logging.getLogger("vmo.notices")

# Temporary failures are retried (by a later delivery or a sweeper) until this many tries.
SMS_MAX_ATTEMPTS = 5


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


def sms_send(
    *, phone: str, body: str, kind: str, user: Any = None, dedup_key: str | None = None
) -> Message:
    """Queue an SMS in the outbox; it goes out only if the caller's transaction commits."""
    number = normalise_phone(phone)
    with transaction.atomic():
        message = _create_once(
            dedup_key=dedup_key,
            channel=Channel.SMS,
            kind=kind,
            user=user,
            recipient=number,
            recipient_hash=phone_lookup_hash(number),
            body=f"{office_config().sms_signature}{body}",
            status=MessageStatus.CREATED,
        )
        if message.status == MessageStatus.CREATED:
            transaction.on_commit(partial(sms_deliver, message_id=message.pk), robust=True)
    return message


def _finish(message_id: int, **changes: Any) -> None:
    # Only a row we still hold as "sending" is finished: final states never change.
    Message.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(**changes)


def sms_deliver(*, message_id: int) -> Message:
    """Hand one queued SMS to the gateway. Safe to run twice: a row not "created" is left alone."""
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message_id)
        if message.channel != Channel.SMS or message.status != MessageStatus.CREATED:
            return message
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.save(update_fields=["status", "attempts"])
    # No transaction (and no row lock) is held while the gateway is talking.
    try:
        get_backend().send(phone=message.recipient, text=message.body, message_id=message.pk)
    except Exception as exc:
        permanent = isinstance(exc, SmsError) and exc.permanent
        final = permanent or message.attempts >= SMS_MAX_ATTEMPTS
        status = MessageStatus.FAILED if final else MessageStatus.CREATED
        logger.warning(
            "sms delivery failed message_id=%s attempts=%s status=%s error=%s",
            message.pk,
            message.attempts,
            status,
            type(exc).__name__,
        )
        _finish(message.pk, status=status)
    else:
        _finish(message.pk, status=MessageStatus.SENT, sent_at=clock.now())
    message.refresh_from_db()
    return message


def inbox_post(
    *, user: Any, kind: str, subject: str, body: str, dedup_key: str | None = None
) -> Message:
    """Put a message in the user's in-app inbox; it is delivered by being written."""
    now = clock.now()
    with transaction.atomic():
        return _create_once(
            dedup_key=dedup_key,
            channel=Channel.IN_APP,
            kind=kind,
            user=user,
            subject=subject,
            body=body,
            status=MessageStatus.SENT,
            sent_at=now,
        )


@dataclass(frozen=True)
class InboxItem:
    """One in-app message of a bulk post."""

    user_id: int
    kind: str
    subject: str
    body: str
    dedup_key: str


# Rows per INSERT of a bulk post (each body is encrypted on the way in).
INBOX_BULK_BATCH = 1000


def inbox_post_bulk(*, items: Iterable[InboxItem]) -> int:
    """Many in-app messages at once, in the caller's transaction; returns how many were new.

    A dedup key already in the outbox is skipped, so a retried delivery posts nothing twice.
    """
    wanted = {item.dedup_key: item for item in items}
    if not wanted:
        return 0
    keys = list(wanted)
    taken: set[str | None] = set()
    for start in range(0, len(keys), INBOX_BULK_BATCH):
        taken.update(
            Message.objects.filter(dedup_key__in=keys[start : start + INBOX_BULK_BATCH])
            .values_list("dedup_key", flat=True)
            .iterator()
        )
    now = clock.now()
    rows = [
        Message(
            channel=Channel.IN_APP,
            kind=item.kind,
            user_id=item.user_id,
            subject=item.subject,
            body=item.body,
            dedup_key=key,
            status=MessageStatus.SENT,
            created_at=now,
            sent_at=now,
        )
        for key, item in wanted.items()
        if key not in taken
    ]
    # ignore_conflicts: a concurrent writer of the same key wins without failing this post.
    Message.objects.bulk_create(rows, batch_size=INBOX_BULK_BATCH, ignore_conflicts=True)
    return len(rows)


def _language_for(user: Any) -> str:
    # The account's chosen language once preferences exist; the site default until then.
    from django.conf import settings

    return getattr(user, "notice_language", "") or settings.LANGUAGE_CODE


def notify(
    *,
    kind: str,
    context: Mapping[str, Any],
    dedup_key: str,
    user: Any = None,
    phone: str | None = None,
    link: str = "",
) -> list[Message]:
    """Raise one notice of a registered kind, in the caller's transaction: the one way to tell
    a citizen something. ``dedup_key`` makes it happen once (kind + subject + period is usual);
    ``user`` gets the in-app copy, ``phone`` (or the user's person's phone) the SMS if the kind
    has one. Returns the outbox rows written (or found under the same keys).
    """
    from . import kinds

    definition = kinds.get(kind)
    texts = definition.render(context, _language_for(user))
    written: list[Message] = []
    with transaction.atomic():
        if user is not None and Channel.IN_APP in definition.channels:
            message = inbox_post(
                user=user,
                kind=kind,
                subject=texts["subject"],
                body=texts["body"],
                dedup_key=f"{dedup_key}:inapp",
            )
            if link and message.link != link:
                Message.objects.filter(pk=message.pk).update(link=link)
                message.link = link
            written.append(message)
        if Channel.SMS in definition.channels and texts["sms"]:
            number = phone or _phone_of(user)
            if number:
                written.append(
                    sms_send(
                        phone=number,
                        body=texts["sms"],
                        kind=kind,
                        user=user,
                        dedup_key=f"{dedup_key}:sms",
                    )
                )
    return written


def _phone_of(user: Any) -> str:
    person = getattr(user, "person", None)
    return getattr(person, "phone", "") or ""
