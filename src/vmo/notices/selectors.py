"""Reads of the outbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import translation

from vmo.registry.lookup import phone_lookup_hash

from . import kinds, values
from .choices import Channel, MessageStatus
from .models import Message, Preference

# Company keys per query of first_written (one LIKE each, under the kind's index).
PER_PERSON_BATCH = 200


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


def unread_count(user: Any) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def inbox_message(user: Any, message_id: int) -> Message | None:
    """One of the user's own in-app messages; None for anyone else's (the view answers 404)."""
    return inbox_for(user).filter(pk=message_id).first()


@dataclass(frozen=True)
class Shown:
    """A message's subject and body as its reader sees them, and the language they are in."""

    subject: str
    body: str
    language: str


def shown(message: Message, language: str | None = None) -> Shown:
    """The message in ``language`` (the active one: the reader's, as they read the site now),
    rendered from its kind and kept values; a row that kept none (written before values were
    kept) or whose kind's texts no longer fit them reads as it was sent."""
    language = language or translation.get_language() or message.language
    with translation.override(language):
        context = values.decode(message.context, language)
        if context is not None:
            try:
                texts = kinds.get(message.kind).render(context, language)
            except (LookupError, KeyError, TypeError, ValueError):
                pass  # the stored text below
            else:
                return Shown(texts["subject"][:200], texts["body"], language)
    return Shown(message.subject, message.body, message.language)


def inbox_shown(messages: Iterable[Message], language: str | None = None) -> list[Message]:
    """The messages with ``.shown`` set (for pages that list or show them)."""
    rows = list(messages)
    for message in rows:
        message.shown = shown(message, language)  # type: ignore[attr-defined]
    return rows


def preference_for(user: Any) -> Preference | None:
    return Preference.objects.filter(user_id=user.pk).first()


def sent_counts() -> dict[str, dict[str, int]]:
    """{kind: {channel: rows}} over the whole outbox, in one grouped query."""
    counts: dict[str, dict[str, int]] = {}
    for kind, channel, total in (
        Message.objects.values_list("kind", "channel").annotate(total=Count("pk")).order_by()
    ):
        counts.setdefault(kind, {})[channel] = total
    return counts


def failed_messages() -> QuerySet[Message]:
    """Permanent failures and uncertain sends (the provider may have accepted them: not to be
    sent again before asking it), newest first: the officers' list."""
    return (
        Message.objects.filter(status__in=[MessageStatus.FAILED, MessageStatus.UNCERTAIN])
        .only(
            "pk",
            "channel",
            "kind",
            "recipient",
            "attempts",
            "error",
            "created_at",
            "user_id",
            "status",
        )
        .order_by("-created_at", "-id")
    )


def demo_outbox(limit: int = 50) -> QuerySet[Message]:
    """The newest SMS and e-mail in the outbox, for the embedded default's demo outbox page
    (console backends only: there, nothing leaves the machine and nobody else can read them)."""
    return Message.objects.filter(channel__in=[Channel.SMS, Channel.EMAIL]).order_by(
        "-created_at", "-id"
    )[:limit]


def first_written(keys: Iterable[str], *, per_person: Iterable[str] = ()) -> dict[str, datetime]:
    """When a notice was first written under each key (``kind:subject:period``, without the
    channel), over all its channels: the proof and the date that someone was told. Keys never
    written are absent. A key of ``per_person`` is a company vehicle's notice, written once per
    person who acts for the company (``kind:subject:period:p<person>``): the first of those."""
    wanted = {f"{key}:{channel}": key for key in keys for channel in Channel.values}
    found: dict[str, datetime] = {}

    def seen(key: str, created_at: datetime) -> None:
        if key not in found or created_at < found[key]:
            found[key] = created_at

    for dedup_key, created_at in Message.objects.filter(dedup_key__in=list(wanted)).values_list(
        "dedup_key", "created_at"
    ):
        seen(wanted[dedup_key or ""], created_at)
    companies = sorted(set(per_person))
    for start in range(0, len(companies), PER_PERSON_BATCH):
        part = companies[start : start + PER_PERSON_BATCH]
        by_prefix = {f"{key}:p": key for key in part}
        where = Q()
        for prefix in by_prefix:
            where |= Q(dedup_key__startswith=prefix)
        rows = Message.objects.filter(where, kind__in={key.split(":", 1)[0] for key in part})
        for dedup_key, created_at in rows.values_list("dedup_key", "created_at"):
            key_part, _person, _channel = (dedup_key or "").rsplit(":", 2)
            if f"{key_part}:p" in by_prefix:
                seen(by_prefix[f"{key_part}:p"], created_at)
    return found
