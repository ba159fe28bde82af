"""Writes of the outbox: messages are written in the caller's transaction, delivered after commit.

GOV.UK Notify's order is kept: persist the row first (in the transaction of its cause), then
queue a task that carries only the id (after commit); the task reloads the row and acts only if
it is still waiting. A sweeper (``delivery.messages_dispatch``) re-queues whatever a broker
outage or a lost task left behind. See ``delivery.py`` for the sending side.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.registry.models import phone_lookup_hash
from vmo.registry.validators import normalise_phone

from . import kinds
from .choices import Channel, MessageStatus
from .delivery import (  # noqa: F401 - re-exported: callers and tests import them from here
    MAX_ATTEMPTS,
    SMS_MAX_ATTEMPTS,
    message_deliver,
    publish_after_commit,
    sms_deliver,
)
from .models import Message, Preference

logger = logging.getLogger("vmo.notices")

LANGUAGES = ("zh-hans", "en")
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


def sms_signed(text: str, signature: str | None = None) -> str:
    """The text with the office's signature in front, as it is sent."""
    return f"{office_config().sms_signature if signature is None else signature}{text}"


def sms_send(
    *,
    phone: str,
    body: str,
    kind: str,
    user: Any = None,
    dedup_key: str | None = None,
    not_before: datetime | None = None,
    one_time_code: bool = False,
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
            body=sms_signed(body),
            status=MessageStatus.CREATED,
            not_before=not_before,
        )
        if message.status == MessageStatus.CREATED and not_before is None:
            publish_after_commit([message.pk], one_time_code=one_time_code)
    return message


def inbox_post(
    *, user: Any, kind: str, subject: str, body: str, dedup_key: str | None = None, link: str = ""
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


@dataclass(frozen=True)
class InboxItem:
    """One in-app message of a bulk post."""

    user_id: int
    kind: str
    subject: str
    body: str
    dedup_key: str
    link: str = ""


# Rows per INSERT of a bulk post (each body is encrypted on the way in).
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


def inbox_post_bulk(*, items: Iterable[InboxItem]) -> int:
    """Many in-app messages at once, in the caller's transaction; returns how many were new.

    A dedup key already in the outbox is skipped, so a retried delivery posts nothing twice.
    """
    wanted = {item.dedup_key: item for item in items}
    if not wanted:
        return 0
    taken = _keys_taken(list(wanted))
    now = clock.now()
    rows = [
        Message(
            channel=Channel.IN_APP,
            kind=item.kind,
            user_id=item.user_id,
            subject=item.subject[:200],
            body=item.body,
            link=item.link,
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


# --- Preferences ------------------------------------------------------------------------------


def channels_for(definition: kinds.NoticeKind, preference: Preference | None) -> set[str]:
    """The channels a notice of this kind goes to for a citizen with these preferences.

    The in-app inbox always; the kind's own channels unless the citizen switched them off for
    the kind's group (a mandatory kind's channels cannot be switched off); e-mail when chosen.
    """
    defaults = {str(c) for c in definition.channels}
    chosen = None if preference is None else preference.channels.get(str(definition.group))
    wanted = set(defaults) if chosen is None else set(chosen)
    if definition.mandatory:
        wanted |= defaults
    if not definition.sms:
        wanted.discard(Channel.SMS)
    return wanted | {Channel.IN_APP}


def quiet_until(preference: Preference | None, moment: datetime) -> datetime | None:
    """The end of the citizen's quiet hours if ``moment`` falls in them, else None."""
    if preference is None or preference.quiet_from is None or preference.quiet_to is None:
        return None
    start, end = preference.quiet_from, preference.quiet_to
    local = clock.local(moment)
    now = local.timetz().replace(tzinfo=None)
    if start == end:
        return None
    inside = start <= now < end if start < end else (now >= start or now < end)
    if not inside:
        return None
    day = local.date() if now < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=clock.OFFICE_TZ)


def preference_of(user: Any) -> Preference | None:
    if user is None or not getattr(user, "pk", None):
        return None
    cached = getattr(user, "_notice_preference_cache", False)
    if cached is None or isinstance(cached, Preference):
        return cached
    preference = Preference.objects.filter(user_id=user.pk).first()
    user._notice_preference_cache = preference
    return preference


def _language(preference: Preference | None) -> str:
    return preference.language if preference is not None else settings.LANGUAGE_CODE


@transaction.atomic
def preference_update(
    *,
    user: Any,
    language: str,
    channels: Mapping[str, Iterable[str]],
    quiet_from: time | None = None,
    quiet_to: time | None = None,
) -> Preference:
    """Save a citizen's choices. Every problem is reported at once; nothing changes then."""
    errors: dict[str, list[str]] = {}
    if language not in LANGUAGES:
        errors["language"] = [
            _("Choose one of the languages: %(languages)s.") % {"languages": ", ".join(LANGUAGES)}
        ]
    groups = set(kinds.Group.values)
    known = set(Channel.values)
    clean: dict[str, list[str]] = {}
    for group, chosen in channels.items():
        chosen = list(chosen)
        if group not in groups:
            errors.setdefault("channels", []).append(
                _("There is no group of notices called %(group)s.") % {"group": group}
            )
            continue
        bad = sorted(set(chosen) - known)
        if bad:
            errors.setdefault("channels", []).append(
                _("Unknown channels: %(channels)s.") % {"channels": ", ".join(bad)}
            )
            continue
        clean[group] = sorted(set(chosen) | {Channel.IN_APP})
    if (quiet_from is None) != (quiet_to is None):
        errors["quiet_to"] = [_("Give both the start and the end of the quiet hours, or neither.")]
    elif quiet_from is not None and quiet_from == quiet_to:
        errors["quiet_to"] = [_("The quiet hours must end at another time than they start.")]
    if errors:
        raise ValidationError(errors)
    preference, _created = Preference.objects.select_for_update().get_or_create(user_id=user.pk)
    preference.language = language
    preference.channels = clean
    preference.quiet_from, preference.quiet_to = quiet_from, quiet_to
    preference.save()
    user._notice_preference_cache = preference
    return preference


KNOWN_DEVICES_KEPT = 20


@transaction.atomic
def device_seen(*, user: Any, device: str) -> str:
    """Remember a sign-in device of the account: "first" (none known before: the sign-up's),
    "known", or "new" (the caller raises the new sign-in notice)."""
    preference, _created = Preference.objects.select_for_update().get_or_create(user_id=user.pk)
    devices = list(preference.known_devices)
    if device in devices:
        return "known"
    preference.known_devices = [*devices, device][-KNOWN_DEVICES_KEPT:]
    preference.save(update_fields=["known_devices", "updated_at"])
    user._notice_preference_cache = preference
    return "new" if devices else "first"


@transaction.atomic
def inbox_mark_read(*, user: Any, message_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own in-app messages read (all unread if no ids); returns how many."""
    rows = Message.objects.filter(channel=Channel.IN_APP, user_id=user.pk, read_at__isnull=True)
    if message_ids is not None:
        rows = rows.filter(pk__in=list(message_ids))
    return rows.update(read_at=clock.now())


# --- notify: the one way to tell a citizen something ------------------------------------------


def _phone_of(user: Any) -> str:
    person = getattr(user, "person", None)
    return getattr(person, "phone", "") or ""


def _email_of(user: Any) -> str:
    person = getattr(user, "person", None)
    return getattr(person, "email", "") or ""


def _delivered_row(
    *,
    channel: str,
    kind: str,
    user_id: int | None,
    recipient: str,
    subject: str,
    body: str,
    link: str,
    dedup_key: str,
    language: str,
    not_before: datetime | None,
    now: datetime,
    signature: str | None = None,
) -> Message:
    if channel == Channel.SMS:
        recipient = normalise_phone(recipient)
        recipient_hash = phone_lookup_hash(recipient)
        body = sms_signed(body, signature)
    else:
        recipient = recipient.strip()
        recipient_hash = ""
    return Message(
        channel=channel,
        kind=kind,
        user_id=user_id,
        recipient=recipient,
        recipient_hash=recipient_hash,
        subject=subject[:200],
        body=body,
        link=link,
        dedup_key=dedup_key,
        language=language,
        status=MessageStatus.CREATED,
        not_before=not_before,
        created_at=now,
    )


def notify(
    *,
    kind: str,
    context: Mapping[str, Any],
    dedup_key: str,
    user: Any = None,
    phone: str | None = None,
    link: str = "",
    email: str | None = None,
    language: str | None = None,
    respect_quiet_hours: bool = True,
) -> list[Message]:
    """Raise one notice of a registered kind, in the caller's transaction: the one way to tell
    a citizen something. ``dedup_key`` makes it happen once (kind + subject + period is usual);
    ``user`` gets the in-app copy, ``phone`` (or the user's person's phone) the SMS if the kind
    has one and the citizen did not switch SMS off for its group, ``email`` (or the person's)
    an e-mail if the citizen chose e-mail. Without a user (a person with no account), the SMS
    goes to ``phone``. Returns the outbox rows written (or found under the same keys).
    """
    definition = kinds.get(kind)
    preference = preference_of(user)
    lang = language or _language(preference)
    texts = definition.render(context, lang)
    wanted = channels_for(definition, preference)
    written: list[Message] = []
    now = clock.now()
    with transaction.atomic():
        if user is not None:
            message = inbox_post(
                user=user,
                kind=kind,
                subject=texts["subject"],
                body=texts["body"],
                dedup_key=f"{dedup_key}:inapp",
                link=link,
            )
            written.append(message)
        targets: list[tuple[str, str, str]] = []
        if Channel.SMS in wanted and texts["sms"]:
            number = phone or _phone_of(user)
            if number:
                targets.append((Channel.SMS, number, texts["sms"]))
        if Channel.EMAIL in wanted:
            address = email or _email_of(user)
            if address:
                targets.append((Channel.EMAIL, address, texts["body"]))
        to_publish = []
        for channel, recipient, body in targets:
            later = quiet_until(preference, now) if respect_quiet_hours else None
            row = _delivered_row(
                channel=channel,
                kind=kind,
                user_id=getattr(user, "pk", None),
                recipient=recipient,
                subject=texts["subject"],
                body=body,
                link=link,
                dedup_key=f"{dedup_key}:{channel}",
                language=lang,
                not_before=later if channel == Channel.SMS else None,
                now=now,
            )
            message = _create_once(
                dedup_key=row.dedup_key,
                **{
                    f.attname: getattr(row, f.attname)
                    for f in Message._meta.concrete_fields
                    if f.attname not in {"id", "dedup_key", "created_at"}
                },
            )
            written.append(message)
            if message.status == MessageStatus.CREATED and message.not_before is None:
                to_publish.append(message.pk)
        if to_publish:
            publish_after_commit(to_publish)
    return written


@dataclass
class Recipient:
    """One notice of a bulk write (scans): whom, with which values, under which key."""

    dedup_key: str
    context: Mapping[str, Any]
    user_id: int | None = None
    phone: str = ""
    email: str = ""
    link: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


BULK_BATCH = 1000


def notify_bulk(*, kind: str, recipients: Iterable[Recipient], publish: bool = True) -> int:
    """Many notices of one kind, in batches of BULK_BATCH rows with one transaction each;
    returns how many rows were new. Keys already in the outbox are skipped first (a second run
    renders nothing) and a concurrent writer of the same key wins (unique key, no error), so
    two scans at once send nothing twice. SMS and e-mail rows are queued by the dispatcher
    after each batch commits (``publish=False`` leaves them to the next sweep)."""
    definition = kinds.get(kind)
    total = 0
    batch: list[Recipient] = []
    for recipient in recipients:
        batch.append(recipient)
        if len(batch) >= BULK_BATCH:
            total += _notify_batch(definition, batch, publish=publish)
            batch = []
    if batch:
        total += _notify_batch(definition, batch, publish=publish)
    return total


def _notify_batch(definition: kinds.NoticeKind, batch: list[Recipient], *, publish: bool) -> int:
    now = clock.now()
    keys = [f"{r.dedup_key}:{c}" for r in batch for c in ("inapp", "sms", "email")]
    taken = _keys_taken(keys)
    signature = office_config().sms_signature
    user_ids = {r.user_id for r in batch if r.user_id}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}
    rows: list[Message] = []
    for r in batch:
        preference = preferences.get(r.user_id) if r.user_id else None
        lang = _language(preference)
        wanted = channels_for(definition, preference)
        texts: dict[str, str] | None = None
        for channel, recipient in (
            (Channel.IN_APP, ""),
            (Channel.SMS, r.phone),
            (Channel.EMAIL, r.email),
        ):
            key = f"{r.dedup_key}:{channel}"
            if key in taken or channel not in wanted:
                continue
            if channel == Channel.IN_APP and not r.user_id:
                continue
            if channel != Channel.IN_APP and not recipient:
                continue
            texts = texts or definition.render(r.context, lang)
            if channel == Channel.IN_APP:
                rows.append(
                    Message(
                        channel=channel,
                        kind=definition.code,
                        user_id=r.user_id,
                        subject=texts["subject"][:200],
                        body=texts["body"],
                        link=r.link,
                        dedup_key=key,
                        language=lang,
                        status=MessageStatus.SENT,
                        created_at=now,
                        sent_at=now,
                    )
                )
                continue
            if channel == Channel.SMS and not texts["sms"]:
                continue
            rows.append(
                _delivered_row(
                    channel=channel,
                    kind=definition.code,
                    user_id=r.user_id,
                    recipient=recipient,
                    subject=texts["subject"],
                    body=texts["sms"] if channel == Channel.SMS else texts["body"],
                    link=r.link,
                    dedup_key=key,
                    language=lang,
                    not_before=quiet_until(preference, now) if channel == Channel.SMS else None,
                    now=now,
                    signature=signature,
                )
            )
    if not rows:
        return 0
    with transaction.atomic():
        Message.objects.bulk_create(rows, batch_size=BULK_BATCH, ignore_conflicts=True)
        if publish and any(m.channel != Channel.IN_APP for m in rows):
            from .tasks import dispatch_after_commit

            dispatch_after_commit()
    return len(rows)
