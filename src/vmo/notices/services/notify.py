"""Raising notices of registered kinds: one write for single events, scans and intake."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import translation
from django.utils.functional import Promise

from vmo.core import clock
from vmo.core.phrases import Phrase
from vmo.core.selectors import office_config
from vmo.registry.lookup import phone_lookup_hash
from vmo.registry.validators import normalise_phone

from .. import kinds, values
from ..choices import Channel, MessageStatus
from ..delivery import publish_after_commit
from ..models import Message, Preference
from .outbox import DELIVERED_CHANNELS, _keys_taken, context_json, sms_signed
from .outbox_copy import rows_insert
from .preferences import _language, channels_for, preference_of, quiet_until

if TYPE_CHECKING:
    # notices sits below accounts: any user model of the project.
    from django.contrib.auth.base_user import AbstractBaseUser as User

# --- notify: the one way to tell a citizen something ------------------------------------------


def _phone_of(user: User | None) -> str:
    person = getattr(user, "person", None)
    return getattr(person, "phone", "") or ""


def _email_of(user: User | None) -> str:
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
    context: Mapping[str, Any],
    language: str,
    not_before: datetime | None,
    now: datetime,
    signature: str,
) -> dict[str, Any]:
    """One outbox row's field values (by attname; the others keep their defaults)."""
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
        # Delivered by being written. Its values are kept too: it is rendered again when read,
        # in the language its reader reads the site in then (the texts are for rows that
        # cannot be, and for lists that show only the subject's stored form).
        return {
            **fields,
            "body": texts["body"],
            "context": values.encode(recipient.context),
            "status": MessageStatus.SENT,
            "sent_at": now,
        }
    if channel == Channel.SMS:
        number = normalise_phone(recipient.phone)
        return {
            **fields,
            "recipient": number,
            "recipient_hash": phone_lookup_hash(number),
            "body": sms_signed(text=texts["sms"], signature=signature),
            "context": context_json(context=context),
            "status": MessageStatus.CREATED,
            "not_before": not_before,
        }
    return {
        **fields,
        "recipient": recipient.email.strip(),
        "body": texts["body"],
        "status": MessageStatus.CREATED,
    }


# Values whose text depends on the language they are said in: a context holding one is
# rendered by the kind itself, under that language.
_SAID_IN_A_LANGUAGE = (Phrase, Promise)


def _renderer(
    definition: kinds.NoticeKind,
) -> Callable[[Mapping[str, Any], str], dict[str, str]]:
    """``definition.render`` with the kind's texts looked up once per language: a scan renders
    one kind thousands of times, and switching the active language for each row (five gettext
    calls and an activation) was a third of its Python time. The same strings, the same %
    formatting; contexts with values said in a language go to ``definition.render``."""
    texts: dict[str, tuple[str, str, str]] = {}

    def render(context: Mapping[str, Any], language: str) -> dict[str, str]:
        if any(isinstance(v, _SAID_IN_A_LANGUAGE) for v in context.values()):
            return definition.render(context, language)
        found = texts.get(language)
        if found is None:
            with translation.override(language):
                found = texts[language] = (
                    str(definition.subject),
                    str(definition.body),
                    str(definition.sms) if definition.sms else "",
                )
        subject, body, sms = found
        return {
            "subject": subject % context,
            "body": body % context,
            "sms": sms % context if sms else "",
        }

    return render


def _rows(
    definition: kinds.NoticeKind,
    recipients: Iterable[Recipient],
    *,
    preferences: Mapping[int, Preference | None],
    taken: set[str | None],
    respect_quiet_hours: bool,
) -> list[dict[str, Any]]:
    now = clock.now()
    signature = office_config().sms_signature
    rows: list[dict[str, Any]] = []
    render = _renderer(definition)
    for r in recipients:
        preference = preferences.get(r.user_id) if r.user_id else None
        language = r.language or _language(preference)
        wanted = channels_for(definition=definition, preference=preference)
        addressed = {Channel.IN_APP: bool(r.user_id), Channel.SMS: r.phone, Channel.EMAIL: r.email}
        texts: dict[str, str] | None = None
        context: Mapping[str, Any] | None = None
        for channel in CHANNELS:
            if channel not in wanted or not addressed[channel]:
                continue
            if f"{r.dedup_key}:{channel}" in taken:
                continue
            if texts is None or context is None:
                context = r.context(language) if callable(r.context) else r.context
                texts = render(context, language)
            if channel == Channel.SMS and not texts["sms"]:
                continue
            later = quiet_until(preference=preference, moment=now) if respect_quiet_hours else None
            rows.append(
                _row(
                    definition=definition,
                    recipient=r,
                    channel=channel,
                    texts=texts,
                    context=context,
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
) -> int:
    """Write notices of one registered kind in the caller's transaction: the one write that
    single events (``notify``), scans (``notify_bulk``) and intake use.

    Each recipient gets the in-app copy if it has an account, the kind's SMS and the e-mail as
    its preferences for the kind's group allow (a mandatory kind's channels always), in its
    chosen language, an SMS held until its quiet hours end. A key already in the outbox is
    written once: a concurrent writer of the same key wins without an error, so a retried
    cause tells nobody twice. On PostgreSQL the rows go in by COPY and one INSERT … SELECT …
    ON CONFLICT (dedup_key) DO NOTHING (``outbox_copy``), the unique index being the only
    check; elsewhere the keys already taken are looked up first and skipped before rendering,
    and bulk_create ignores a concurrent writer's. ``publish`` asks the dispatcher to queue the
    SMS and e-mail rows after commit (else the next sweep does). Returns how many rows were
    written now.
    """
    definition = kinds.get(kind)
    recipients = list(recipients)
    if not recipients:
        return 0
    copying = connection.vendor == "postgresql"
    # The scans' queries already leave out whom they told (scans.untold), and intake tells
    # only of records it loaded now: on PostgreSQL the insert's ON CONFLICT is the one check.
    taken = set() if copying else _keys_taken(_keys(recipients))
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
        return 0
    if copying:
        channels = rows_insert(rows=rows)
    else:
        Message.objects.bulk_create(
            [Message(**row) for row in rows], batch_size=BULK_BATCH, ignore_conflicts=True
        )
        channels = [row["channel"] for row in rows]
    if publish and any(channel in DELIVERED_CHANNELS for channel in channels):
        from ..tasks import dispatch_after_commit

        dispatch_after_commit()
    return len(channels)


def notify(
    *,
    kind: str,
    context: Context,
    dedup_key: str,
    user: User | None = None,
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
    preferences = {recipient.user_id: preference_of(user=user)} if recipient.user_id else {}
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
                total += notices_post(kind=kind, recipients=batch, publish=publish)
            batch = []
    if batch:
        with transaction.atomic():
            total += notices_post(kind=kind, recipients=batch, publish=publish)
    return total
