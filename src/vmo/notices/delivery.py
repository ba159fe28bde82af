"""Delivery of outbox rows: one attempt at a time, recorded, retried with backoff, swept.

- ``message_deliver`` takes a row still "created" under a row lock, marks it "sending" (with a
  deadline), records an attempt, lets go of the database, talks to the provider, then finishes
  the row only if it is still "sending" (final states never change). Run twice, it sends once.
- A temporary failure puts the row back to "created" with ``not_before`` = now + backoff; a
  permanent one (or the last allowed attempt) makes it "failed": the officers' failure list.
- ``messages_dispatch`` (the sweeper, every minute from Celery beat) queues every row that is
  due and not queued recently (never queued because the broker was down, retry due, quiet
  hours over), and marks rows stuck in "sending" past their deadline "uncertain" instead of
  sending them again: the provider may have accepted them. A provider that answers status
  queries resolves them; the others stay for an officer, shown as such. One sweeper runs at a
  time (a PostgreSQL advisory lock, released by the database if its worker dies).
- ``publish`` queues first and stamps ``queued_at`` after, a slice at a time: a worker killed
  half-way leaves the rows it never queued unstamped, so the next sweep takes them at once.
"""

from __future__ import annotations

import logging
import os
import smtplib
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from anymail.exceptions import AnymailAPIError, AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Q

from vmo.core import clock

from .choices import AttemptOutcome, Channel, MessageStatus
from .models import Attempt, Message
from .sms import SmsError, get_backend

logger = logging.getLogger("vmo.notices")

MAX_ATTEMPTS = 5
SMS_MAX_ATTEMPTS = MAX_ATTEMPTS  # the accounts tests name it so
# Wait after the n-th failed attempt (Notify uses growing delays with a hard stop).
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


def sending_deadline() -> timedelta:
    """How long a row may stay "sending" before the sweeper takes it for a dead worker's (then
    "uncertain", settled by the provider's status query). Longer than any provider call may
    take (connect plus read timeouts); it was ten minutes, which kept the sends a killed worker
    held unsettled for ten minutes after its restart (issue 14)."""
    return timedelta(seconds=float(settings.VMO_NOTICES_SENDING_TIMEOUT))


# A row queued this long ago and still "created" lost its task: queue it again.
REQUEUE_AFTER = timedelta(minutes=5)
DISPATCH_LIMIT = 5000
DELIVERED = (Channel.SMS, Channel.EMAIL)


class DeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, uncertain: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        # Sent, but no answer came back: the provider may have taken it (see SmsError).
        self.uncertain = uncertain


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


# HTTP answers of an e-mail provider's API (anymail) that a retry may change: our key or
# domain being fixed, a timeout, rate limits and the provider's own faults.
EMAIL_API_TEMPORARY = frozenset({401, 403, 408, 429})


def email_send(*, message: Message) -> str:
    """Hand an e-mail to Django's e-mail backend (SMTP, or a provider's API through anymail);
    returns the provider's Message-ID where it gives one (its tracking webhook names it)."""
    mail = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"X-VMO-Message-Id": str(message.pk)},
    )
    try:
        mail.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError("recipient refused", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"smtp {exc.smtp_code}", permanent=exc.smtp_code >= 500) from exc
    except AnymailRecipientsRefused as exc:
        raise DeliveryError("recipient refused by the provider", permanent=True) from exc
    except AnymailInvalidAddress as exc:
        raise DeliveryError("invalid address", permanent=True) from exc
    except AnymailAPIError as exc:
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None)
        if status is None:  # no answer: a timeout or no connection
            raise DeliveryError("provider unreachable") from exc
        temporary = status >= 500 or status in EMAIL_API_TEMPORARY
        raise DeliveryError(f"provider answered {status}", permanent=not temporary) from exc
    status = getattr(mail, "anymail_status", None)
    return str(getattr(status, "message_id", None) or "")


def _send(message: Message) -> str:
    """Hand the message over; returns the provider's id for it ("" if none)."""
    if message.channel == Channel.SMS:
        try:
            reference = get_backend().send(
                phone=message.recipient, text=message.body, message_id=message.pk
            )
        except SmsError as exc:
            raise DeliveryError(str(exc), permanent=exc.permanent, uncertain=exc.uncertain) from exc
        return reference or ""
    return email_send(message=message)


def _finish(message_id: int, **changes: Any) -> int:
    # Only a row we still hold as "sending" is finished: final states never change.
    return Message.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(**changes)


def message_deliver(*, message_id: int) -> Message | None:
    """Hand one queued SMS or e-mail to its provider. Safe to run twice."""
    now = clock.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return None
        if message.channel not in DELIVERED or message.status != MessageStatus.CREATED:
            return message
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.not_before = now + sending_deadline()
        message.save(update_fields=["status", "attempts", "not_before"])
        attempt = Attempt.objects.create(
            message=message, number=message.attempts, started_at=now, worker=_worker_name()
        )
    # No transaction (and no row lock) is held while the provider is talking.
    try:
        reference = _send(message)
    except DeliveryError as exc:
        if exc.uncertain:
            _uncertain(message, attempt, exc)
        else:
            _failed(message, attempt, exc)
    except Exception as exc:
        _failed(message, attempt, exc)
    else:
        done = clock.now()
        _finish(message.pk, status=MessageStatus.SENT, sent_at=done, not_before=None, error="")
        Attempt.objects.filter(pk=attempt.pk).update(
            finished_at=done, outcome=AttemptOutcome.SENT, provider_ref=reference[:100]
        )
    message.refresh_from_db()
    return message


def _uncertain(message: Message, attempt: Attempt, exc: DeliveryError) -> None:
    """The request went out and no answer came: the provider may have taken it. Not retried:
    the sweeper asks the provider (``messages_resolve_uncertain``), or its delivery report
    settles it; sending it again could deliver it twice."""
    logger.warning(
        "notice delivery uncertain message_id=%s channel=%s attempts=%s error=%s",
        message.pk,
        message.channel,
        message.attempts,
        exc,
    )
    error = f"{UNCERTAIN_ERROR} ({exc})"[:200]
    _finish(message.pk, status=MessageStatus.UNCERTAIN, error=error, not_before=None)
    Attempt.objects.filter(pk=attempt.pk).update(
        finished_at=clock.now(), outcome=AttemptOutcome.TIMEOUT, error=error
    )


def _failed(message: Message, attempt: Attempt, exc: Exception) -> None:
    permanent = isinstance(exc, DeliveryError) and exc.permanent
    final = permanent or message.attempts >= MAX_ATTEMPTS
    error = f"{type(exc).__name__}: {exc}"[:200]
    outcome = AttemptOutcome.PERMANENT if final else AttemptOutcome.TEMPORARY
    logger.warning(
        "notice delivery failed message_id=%s channel=%s attempts=%s outcome=%s error=%s",
        message.pk,
        message.channel,
        message.attempts,
        outcome,
        type(exc).__name__,
    )
    if final:
        _finish(message.pk, status=MessageStatus.FAILED, error=error, not_before=None)
    else:
        wait = BACKOFF[min(message.attempts, len(BACKOFF)) - 1]
        _finish(
            message.pk,
            status=MessageStatus.CREATED,
            error=error,
            not_before=clock.now() + wait,
            queued_at=None,
        )
    Attempt.objects.filter(pk=attempt.pk).update(
        finished_at=clock.now(), outcome=outcome, error=error
    )


def sms_deliver(*, message_id: int) -> Message:
    """Deliver one SMS row now (the accounts' one-time codes and their tests use this name)."""
    message = message_deliver(message_id=message_id)
    assert message is not None
    return message


# Rows queued per stamp of queued_at (publish-then-mark).
PUBLISH_SLICE = 100


def _stamp(attempts: dict[int, int], ids: list[int]) -> None:
    """Stamp rows just handed to the broker, unless a worker has already tried them (a fast
    or eager delivery reset its row: a stamp now would hold back its retry)."""
    by_attempts: dict[int, list[int]] = {}
    for message_id in ids:
        by_attempts.setdefault(attempts.get(message_id, 0), []).append(message_id)
    now = clock.now()
    for count, group in by_attempts.items():
        Message.objects.filter(pk__in=group, status=MessageStatus.CREATED, attempts=count).update(
            queued_at=now
        )


def publish(message_ids: Iterable[int], *, one_time_code: bool = False) -> int:
    """Queue a delivery task per row, then stamp the rows queued; returns how many reached the
    broker. A broker that is down is logged, not raised: the rows stay "created" and unstamped,
    and the sweeper queues them later. A row queued twice is delivered once (its task acts only
    on a row still "created", under a row lock). One-time codes go through their own task,
    which has a queue of its own."""
    from .tasks import deliver as deliver_notice
    from .tasks import deliver_code

    deliver = deliver_code if one_time_code else deliver_notice
    ids = list(message_ids)
    if not ids:
        return 0
    attempts = dict(Message.objects.filter(pk__in=ids).values_list("pk", "attempts"))
    published = 0
    for start in range(0, len(ids), PUBLISH_SLICE):
        part = ids[start : start + PUBLISH_SLICE]
        sent: list[int] = []
        try:
            for message_id in part:
                deliver.apply_async(kwargs={"message_id": message_id}, retry=False)
                sent.append(message_id)
        except Exception as exc:  # the broker is down: the sweeper will pick the rest up
            if getattr(deliver.app.conf, "task_always_eager", False):
                raise
            logger.warning(
                "notice queueing failed message_id=%s left=%s error=%s",
                part[len(sent)],
                len(ids) - published - len(sent),
                type(exc).__name__,
            )
            _stamp(attempts, sent)
            return published + len(sent)
        _stamp(attempts, sent)
        published += len(sent)
    return published


def publish_after_commit(message_ids: list[int], *, one_time_code: bool = False) -> None:
    ids = list(message_ids)

    def publish_notices() -> None:
        try:
            publish(ids, one_time_code=one_time_code)
        except Exception:
            # Eager delivery failing, or the broker refusing: the rows wait for the sweeper.
            logger.exception("notice queueing after commit failed ids=%s", ids[:10])

    transaction.on_commit(publish_notices, robust=True)


UNCERTAIN_ERROR = "no answer from the provider before the deadline: it may have been sent"


def messages_time_out(*, now: Any = None) -> int:
    """Mark rows stuck in "sending" past their deadline (the worker died mid-send) "uncertain":
    never sent again by themselves, since the provider may have accepted them."""
    now = now or clock.now()
    stuck = list(
        Message.objects.filter(status=MessageStatus.SENDING, not_before__lt=now).values_list(
            "pk", flat=True
        )[:DISPATCH_LIMIT]
    )
    if not stuck:
        return 0
    with transaction.atomic():
        count = Message.objects.filter(
            pk__in=stuck, status=MessageStatus.SENDING, not_before__lt=now
        ).update(status=MessageStatus.UNCERTAIN, error=UNCERTAIN_ERROR, not_before=None)
        Attempt.objects.filter(message_id__in=stuck, finished_at__isnull=True).update(
            finished_at=now, outcome=AttemptOutcome.TIMEOUT, error=UNCERTAIN_ERROR
        )
    return count


def messages_resolve_uncertain(*, limit: int = DISPATCH_LIMIT) -> int:
    """Ask the SMS provider what became of the uncertain rows, if it answers status queries
    (``status(message_id=...)`` returning "sent", "failed" or None for unknown); returns how
    many were resolved. Unknown ones stay uncertain: nothing is re-sent blindly."""
    query = getattr(get_backend(), "status", None)
    if query is None:
        return 0
    resolved = 0
    rows = Message.objects.filter(status=MessageStatus.UNCERTAIN, channel=Channel.SMS)
    for message_id in list(rows.values_list("pk", flat=True)[:limit]):
        try:
            answer = query(message_id=message_id)
        except SmsError:
            continue
        changes: dict[str, Any]
        if answer == "sent":
            changes = {"status": MessageStatus.SENT, "sent_at": clock.now(), "error": ""}
        elif answer == "failed":
            changes = {"status": MessageStatus.FAILED, "error": "the provider did not send it"}
        else:
            continue
        resolved += Message.objects.filter(pk=message_id, status=MessageStatus.UNCERTAIN).update(
            **changes
        )
    return resolved


def messages_due(*, now: Any = None, limit: int = DISPATCH_LIMIT) -> list[int]:
    now = now or clock.now()
    return list(
        Message.objects.filter(status=MessageStatus.CREATED, channel__in=DELIVERED)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER))
        .order_by("not_before", "id")
        .values_list("pk", flat=True)[:limit]
    )


# The key of the sweeper's advisory lock (any constant number, the same in every worker).
SWEEPER_LOCK = 0x766D6F01


@contextmanager
def _single_sweeper() -> Iterator[bool]:
    """True in the one sweeper holding the lock; False in any other at the same time.

    A session-level PostgreSQL advisory lock: held across the sweep's own transactions and
    released by the database if the worker dies. Elsewhere (SQLite: tests, one process) every
    sweep runs."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SWEEPER_LOCK])
        taken = bool(cursor.fetchone()[0])
    try:
        yield taken
    finally:
        if taken:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [SWEEPER_LOCK])


def messages_dispatch(*, limit: int = DISPATCH_LIMIT) -> int:
    """The sweeper: mark the stuck uncertain, resolve what the provider can tell, queue the
    due. Returns how many were queued (0 when another sweeper is running: it does the work)."""
    with _single_sweeper() as alone:
        if not alone:
            logger.info("notices dispatch skipped: another sweeper is running")
            return 0
        messages_time_out()
        messages_resolve_uncertain()
        queued = 0
        while True:
            due = messages_due(limit=limit)
            if not due:
                break
            published = publish(due)
            queued += published
            # Stop when the broker refused some, or when nothing moved (rows were left
            # "created" by an eager run that failed them temporarily: their backoff makes
            # them not due).
            if published < len(due) or len(due) < limit:
                break
        return queued
