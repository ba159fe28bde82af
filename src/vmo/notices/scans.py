"""Daily scans over the registry: set-based queries find the subjects, notify_bulk writes once.

Each scan selects, in one query, exactly the licences or vehicles its kind applies to on
``day`` (date windows on indexed columns, status letters excluded in SQL), reads only the
columns the text needs (the holder's account and phone through joins), and writes through
``notify_bulk`` with a key per subject and period, so a second run, or two workers at once,
writes nothing new. Nobody is looped over who is not notified.

A scan registered with ``kinds.register_scan`` / ``@kinds.scan`` is run by the Celery beat
task ``notices.scans_run`` and by ``manage.py notices_scan``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from vmo.core import clock
from vmo.core import selectors as core_selectors
from vmo.core.masking import mask_file_number
from vmo.registry import selectors as registry
from vmo.registry.choices import LicenceStatus

from . import kinds, services
from .models import Message
from .services import Recipient

if TYPE_CHECKING:
    from vmo.registry.models import DriverLicence

CHUNK = 5000
# Licences and vehicles that no longer concern anyone (cancelled, revoked, annulled,
# transferred out, compulsorily cancelled, scrapped): no deadline reminders.
LICENCE_GONE = registry.LICENCE_GONE
VEHICLE_GONE = registry.VEHICLE_GONE
# Status letters whose arrival is told to the holder, by kind.
LICENCE_LETTER_KINDS = {
    LicenceStatus.FULL_SCORE: "licence.full_score",
    LicenceStatus.SUSPENDED: "licence.suspended",
    LicenceStatus.STOPPED: "licence.suspended",
    LicenceStatus.REVOKED: "licence.revoked",
    LicenceStatus.ANNULLED: "licence.revoked",
    LicenceStatus.CANCELLED: "licence.cancelled",
}
HISTORY_LOOKBACK = timedelta(days=3)


LICENCE_COLUMNS = ("pk", "file_number", "holder__account__id", "holder__phone")


def untold(kind: str, date_field: str, person_field: str | None = None) -> Q:
    """Not yet told for this subject and period: no outbox row under the key it would get
    (``kind:pk:date:channel``, or ``kind:pk:date:p<person>:channel`` for each person told of a
    company's vehicle), found through the unique index on dedup_key. A second run then reads,
    decrypts and renders nothing."""
    parts = [
        Value(f"{kind}:"),
        Cast(OuterRef("pk"), CharField()),
        Value(":"),
        Cast(OuterRef(date_field), CharField()),
    ]
    if person_field is not None:
        parts += [Value(":p"), Cast(OuterRef(person_field), CharField())]
    prefix = Concat(*parts, output_field=CharField())
    inapp, sms = (
        Exists(
            Message.objects.filter(
                dedup_key=Concat(prefix, Value(f":{channel}"), output_field=CharField())
            )
        )
        for channel in ("inapp", "sms")
    )
    return ~Q(inapp) & ~Q(sms)


def _licences(where: Q, date_field: str) -> QuerySet[DriverLicence, tuple[Any, ...]]:
    return (
        registry.licences()
        .filter(where)
        .filter(~registry.letters_q(*LICENCE_GONE))
        .values_list(*LICENCE_COLUMNS, date_field)
        .order_by()
    )


def _licence_recipients(
    kind: str, rows: Iterable[tuple[Any, ...]], day: date
) -> Iterator[Recipient]:
    for pk, file_number, user_id, phone, when in rows:
        yield Recipient(
            dedup_key=f"{kind}:{pk}:{when.isoformat()}",
            context={
                "file": mask_file_number(file_number),
                "date": when.isoformat(),
                "days": (when - day).days,
            },
            user_id=user_id,
            phone=phone or "",
            link="/me/",
        )


def _licence_scan(kind: str, where: Q, date_field: str, *, day: date, publish: bool) -> int:
    rows = _licences(where & untold(kind, date_field), date_field).iterator(chunk_size=CHUNK)
    return services.notify_bulk(
        kind=kind, recipients=_licence_recipients(kind, rows, day), publish=publish
    )


@kinds.scan("licence.validity_ending")
def scan_validity_ending(*, day: date, publish: bool = True) -> int:
    where = Q(valid_to__gt=day, valid_to__lte=day + timedelta(days=90)) & ~registry.letters_q(
        LicenceStatus.RENEWAL_DEFERRED, field="flags"
    )
    return _licence_scan("licence.validity_ending", where, "valid_to", day=day, publish=publish)


@kinds.scan("licence.validity_ended")
def scan_validity_ended(*, day: date, publish: bool = True) -> int:
    # Told once per expiry, until the pre-cancellation notice takes over.
    where = Q(valid_to__lt=day, valid_to__gt=day - timedelta(days=335)) & ~registry.letters_q(
        LicenceStatus.RENEWAL_DEFERRED, field="flags"
    )
    return _licence_scan("licence.validity_ended", where, "valid_to", day=day, publish=publish)


def _cancel_scan(kind: str, date_field: str, where: Q, *, day: date, publish: bool) -> int:
    """Cancellation comes a year after the date (R162 Art 79): tell 30 days before."""
    where &= Q(
        **{
            f"{date_field}__gt": day - timedelta(days=365),
            f"{date_field}__lte": day - timedelta(days=335),
        }
    )
    rows = _licences(where & untold(kind, date_field), date_field).iterator(chunk_size=CHUNK)

    def recipients() -> Iterator[Recipient]:
        for recipient in _licence_recipients(kind, rows, day):
            context = recipient.context
            assert isinstance(context, Mapping)  # values, not a function of the language
            cancel_on = date.fromisoformat(context["date"]) + timedelta(days=365)
            recipient.context = {**context, "date": cancel_on.isoformat()}
            yield recipient

    return services.notify_bulk(kind=kind, recipients=recipients(), publish=publish)


@kinds.scan("licence.cancel_overdue_renewal")
def scan_cancel_overdue_renewal(*, day: date, publish: bool = True) -> int:
    kind = "licence.cancel_overdue_renewal"
    deferred = registry.letters_q(LicenceStatus.RENEWAL_DEFERRED, field="flags")
    written = _cancel_scan(kind, "valid_to", ~deferred, day=day, publish=publish)
    # A deferral moves the year to its end [U: R162 Art 79 counts from the expiry, which
    # the deferral of Art 75 put off]; keyed by that date, so it is told once more.
    return written + _cancel_scan(
        kind, "renewal_deferred_until", deferred, day=day, publish=publish
    )


@kinds.scan("licence.cancel_no_physical")
def scan_cancel_no_physical(*, day: date, publish: bool = True) -> int:
    where = ~registry.letters_q(LicenceStatus.PHYSICAL_DEFERRED, field="flags")
    return _cancel_scan(
        "licence.cancel_no_physical", "physical_due", where, day=day, publish=publish
    )


@kinds.scan("licence.renewal_deferral_ended")
def scan_renewal_deferral_ended(*, day: date, publish: bool = True) -> int:
    """A renewal deferral (D04, R162 Art 75) lasts until its end date, that day included; from
    the next day the renewal is due again and the reminders start again, as on expiry."""
    where = Q(
        renewal_deferred_until__lt=day, renewal_deferred_until__gt=day - timedelta(days=335)
    ) & registry.letters_q(LicenceStatus.RENEWAL_DEFERRED, field="flags")
    return _licence_scan(
        "licence.renewal_deferral_ended",
        where,
        "renewal_deferred_until",
        day=day,
        publish=publish,
    )


@kinds.scan("licence.verification_due")
def scan_verification_due(*, day: date, publish: bool = True) -> int:
    where = Q(verification_due__gte=day, verification_due__lte=day + timedelta(days=30))
    where &= ~registry.letters_q(LicenceStatus.VERIFICATION_DEFERRED, field="flags")
    return _licence_scan(
        "licence.verification_due", where, "verification_due", day=day, publish=publish
    )


@kinds.scan("licence.verification_overdue")
def scan_verification_overdue(*, day: date, publish: bool = True) -> int:
    where = Q(verification_due__lt=day, verification_due__gt=day - timedelta(days=365))
    where &= ~registry.letters_q(LicenceStatus.VERIFICATION_DEFERRED, field="flags")
    return _licence_scan(
        "licence.verification_overdue", where, "verification_due", day=day, publish=publish
    )


@kinds.scan("licence.physical_due")
def scan_physical_due(*, day: date, publish: bool = True) -> int:
    where = Q(physical_due__gte=day, physical_due__lte=day + timedelta(days=30))
    where &= ~registry.letters_q(LicenceStatus.PHYSICAL_DEFERRED, field="flags")
    return _licence_scan("licence.physical_due", where, "physical_due", day=day, publish=publish)


@kinds.scan("licence.physical_overdue")
def scan_physical_overdue(*, day: date, publish: bool = True) -> int:
    where = Q(physical_due__lt=day, physical_due__gt=day - timedelta(days=335))
    where &= ~registry.letters_q(LicenceStatus.PHYSICAL_DEFERRED, field="flags")
    return _licence_scan(
        "licence.physical_overdue", where, "physical_due", day=day, publish=publish
    )


@kinds.scan("licence.probation_ending")
def scan_probation_ending(*, day: date, publish: bool = True) -> int:
    # [U] 14 days ahead: the law sets no notice period for the end of probation.
    where = Q(probation_until__gte=day, probation_until__lte=day + timedelta(days=14))
    return _licence_scan(
        "licence.probation_ending", where, "probation_until", day=day, publish=publish
    )


@kinds.scan("licence.status_letters")
def scan_licence_status_letters(*, day: date, publish: bool = True) -> int:
    """Full score, suspension, revocation, cancellation: read from the history of status
    changes.

    The registry sets status letters (registry may not import notices, and several apps
    decide them), and every change is an append-only "licence.status" event with the letters
    before and after. Reading those events finds every decision whoever made it, exactly once
    (the key is the event's id), and catches up after a missed run (3 days back).
    """
    since = datetime.combine(day, datetime.min.time(), tzinfo=clock.OFFICE_TZ) - HISTORY_LOOKBACK
    events = list(
        core_selectors.events()
        .filter(
            action="licence.status",
            subject_type="registry.driverlicence",
            occurred_at__gte=since,
        )
        .values_list("pk", "subject_id", "before", "after", "reason", "occurred_at")
    )
    wanted: list[tuple[int, int, str, str, str, datetime]] = []
    for pk, subject_id, before, after, reason, occurred_at in events:
        added = set((after or {}).get("status", "")) - set((before or {}).get("status", ""))
        for kind in {
            LICENCE_LETTER_KINDS[letter] for letter in added if letter in LICENCE_LETTER_KINDS
        }:
            wanted.append((pk, int(subject_id), kind, after.get("status", ""), reason, occurred_at))
    if not wanted:
        return 0
    holders = {
        pk: (file_number, user_id, phone)
        for pk, file_number, user_id, phone in registry.licences()
        .filter(pk__in={w[1] for w in wanted})
        .values_list(*LICENCE_COLUMNS)
    }
    total = 0
    for kind in sorted({w[2] for w in wanted}):
        recipients = []
        for event_id, licence_id, code, status, reason, occurred_at in wanted:
            if code != kind or licence_id not in holders:
                continue
            file_number, user_id, phone = holders[licence_id]
            recipients.append(
                Recipient(
                    dedup_key=f"{kind}:event:{event_id}",
                    context={
                        "file": mask_file_number(file_number),
                        "date": clock.local(occurred_at).date().isoformat(),
                        "status": status,
                        "reason": reason or "—",
                    },
                    user_id=user_id,
                    phone=phone or "",
                    link="/me/",
                )
            )
        total += services.notify_bulk(kind=kind, recipients=recipients, publish=publish)
    return total


# The vehicle scans are in notice_scans.py, with the compulsory scrapping scan.


def scans_run(
    *, day: date, codes: Iterable[str] | None = None, publish: bool = True
) -> dict[str, int]:
    """Run the registered scans (all, or those named) for ``day``; rows written by scan."""
    only = set(codes) if codes else None
    results: dict[str, int] = {}
    for code, func in kinds.all_scans().items():
        if only is None or code in only:
            results[code] = func(day=day, publish=publish)
    return results
