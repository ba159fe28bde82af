"""Writes of the outbox: messages are written in the caller's transaction, delivered after commit.

GOV.UK Notify's order is kept: persist the row first (in the transaction of its cause), then
queue a task that carries only the id (after commit); the task reloads the row and acts only if
it is still waiting. A sweeper (``delivery.messages_dispatch``) re-queues whatever a broker
outage or a lost task left behind. See ``delivery.py`` for the sending side.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
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


# A kind's values, or a function of the recipient's language that gives them (for values the
# registry keeps in both languages, like an offence's description).
Context = Mapping[str, Any] | Callable[[str], Mapping[str, Any]]


@dataclass
class Recipient:
    """One notice of a write: whom, with which values, under which key."""

    dedup_key: str
    context: Context
    user_id: int | None = None
    phone: str = ""
    email: str = ""
    link: str = ""
    # "" = the recipient's chosen language (the office's default without an account).
    language: str = ""


# In this order: notify() returns the rows so, the in-app copy first.
CHANNELS = (Channel.IN_APP, Channel.SMS, Channel.EMAIL)
# Rows per INSERT, recipients per transaction of notify_bulk.
BULK_BATCH = 1000


def _keys(recipients: Iterable[Recipient]) -> list[str]:
    return [f"{r.dedup_key}:{channel}" for r in recipients for channel in CHANNELS]


def _preferences(user_ids: set[int]) -> dict[int, Preference]:
    ids = sorted(user_ids)
    found: dict[int, Preference] = {}
    for start in range(0, len(ids), BULK_BATCH):
        found.update(
            (p.user_id, p)
            for p in Preference.objects.filter(user_id__in=ids[start : start + BULK_BATCH]).defer(
                "known_devices"
            )
        )
    return found


def _row(
    *,
    definition: kinds.NoticeKind,
    recipient: Recipient,
    channel: str,
    texts: Mapping[str, str],
    language: str,
    not_before: datetime | None,
    now: datetime,
    signature: str,
) -> Message:
    fields: dict[str, Any] = {
        "channel": channel,
        "kind": definition.code,
        "user_id": recipient.user_id,
        "subject": texts["subject"][:200],
        "link": recipient.link,
        "dedup_key": f"{recipient.dedup_key}:{channel}",
        "language": language,
        "created_at": now,
    }
    if channel == Channel.IN_APP:
        # Delivered by being written.
        return Message(body=texts["body"], status=MessageStatus.SENT, sent_at=now, **fields)
    if channel == Channel.SMS:
        number = normalise_phone(recipient.phone)
        return Message(
            recipient=number,
            recipient_hash=phone_lookup_hash(number),
            body=sms_signed(texts["sms"], signature),
            status=MessageStatus.CREATED,
            not_before=not_before,
            **fields,
        )
    return Message(
        recipient=recipient.email.strip(),
        body=texts["body"],
        status=MessageStatus.CREATED,
        **fields,
    )


def _rows(
    definition: kinds.NoticeKind,
    recipients: Iterable[Recipient],
    *,
    preferences: Mapping[int, Preference | None],
    taken: set[str | None],
    respect_quiet_hours: bool,
) -> list[Message]:
    now = clock.now()
    signature = office_config().sms_signature
    rows: list[Message] = []
    for r in recipients:
        preference = preferences.get(r.user_id) if r.user_id else None
        language = r.language or _language(preference)
        wanted = channels_for(definition, preference)
        addressed = {Channel.IN_APP: bool(r.user_id), Channel.SMS: r.phone, Channel.EMAIL: r.email}
        texts: dict[str, str] | None = None
        for channel in CHANNELS:
            if channel not in wanted or not addressed[channel]:
                continue
            if f"{r.dedup_key}:{channel}" in taken:
                continue
            if texts is None:
                context = r.context(language) if callable(r.context) else r.context
                texts = definition.render(context, language)
            if channel == Channel.SMS and not texts["sms"]:
                continue
            later = quiet_until(preference, now) if respect_quiet_hours else None
            rows.append(
                _row(
                    definition=definition,
                    recipient=r,
                    channel=channel,
                    texts=texts,
                    language=language,
                    not_before=later if channel == Channel.SMS else None,
                    now=now,
                    signature=signature,
                )
            )
    return rows


def notices_post(
    *,
    kind: str,
    recipients: Sequence[Recipient],
    publish: bool = True,
    respect_quiet_hours: bool = True,
    preferences: Mapping[int, Preference | None] | None = None,
) -> list[Message]:
    """Write notices of one registered kind in the caller's transaction: the one write that
    single events (``notify``), scans (``notify_bulk``) and intake use.

    Each recipient gets the in-app copy if it has an account, the kind's SMS and the e-mail as
    its preferences for the kind's group allow (a mandatory kind's channels always), in its
    chosen language, an SMS held until its quiet hours end. A key already in the outbox is
    skipped before rendering, and a concurrent writer of the same key wins without an error,
    so a retried cause tells nobody twice. ``publish`` asks the dispatcher to queue the SMS and
    e-mail rows after commit (else the next sweep does). Returns the rows written now (their
    ids are not read back).
    """
    definition = kinds.get(kind)
    recipients = list(recipients)
    if not recipients:
        return []
    taken = _keys_taken(_keys(recipients))
    if preferences is None:
        preferences = _preferences({r.user_id for r in recipients if r.user_id})
    rows = _rows(
        definition,
        recipients,
        preferences=preferences,
        taken=taken,
        respect_quiet_hours=respect_quiet_hours,
    )
    if not rows:
        return []
    Message.objects.bulk_create(rows, batch_size=BULK_BATCH, ignore_conflicts=True)
    if publish and any(m.channel in DELIVERED_CHANNELS for m in rows):
        from .tasks import dispatch_after_commit

        dispatch_after_commit()
    return rows


def notify(
    *,
    kind: str,
    context: Context,
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
    goes to ``phone``. Returns the outbox rows under its keys (written now or before), in-app
    first; the SMS and e-mail rows are queued as soon as the transaction commits.
    """
    recipient = Recipient(
        dedup_key=dedup_key,
        context=context,
        user_id=getattr(user, "pk", None),
        phone=phone or _phone_of(user),
        email=email or _email_of(user),
        link=link,
        language=language or "",
    )
    preferences = {user.pk: preference_of(user)} if recipient.user_id else {}
    with transaction.atomic():
        notices_post(
            kind=kind,
            recipients=[recipient],
            publish=False,
            respect_quiet_hours=respect_quiet_hours,
            preferences=preferences,
        )
        order = {f"{dedup_key}:{channel}": n for n, channel in enumerate(CHANNELS)}
        written = sorted(
            Message.objects.filter(dedup_key__in=list(order)),
            key=lambda m: order[m.dedup_key or ""],
        )
        waiting = [
            m.pk
            for m in written
            if m.channel in DELIVERED_CHANNELS
            and m.status == MessageStatus.CREATED
            and m.not_before is None
        ]
        if waiting:
            publish_after_commit(waiting)
    return written


def notify_bulk(*, kind: str, recipients: Iterable[Recipient], publish: bool = True) -> int:
    """Many notices of one kind (scans), BULK_BATCH recipients per transaction; returns how
    many rows were new. Two scans at once send nothing twice (see ``notices_post``)."""
    kinds.get(kind)  # an unknown kind fails before the first batch is read
    total = 0
    batch: list[Recipient] = []
    for recipient in recipients:
        batch.append(recipient)
        if len(batch) >= BULK_BATCH:
            with transaction.atomic():
                total += len(notices_post(kind=kind, recipients=batch, publish=publish))
            batch = []
    if batch:
        with transaction.atomic():
            total += len(notices_post(kind=kind, recipients=batch, publish=publish))
    return total
