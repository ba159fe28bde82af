"""Daily scans of violations and fines (registered with vmo.notices.kinds.scan)."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import itemgetter

from django.db.models import Count, F, IntegerField, Min, Value

from vmo.core import clock
from vmo.core.money import format_fen
from vmo.notices import kinds
from vmo.notices.services import Recipient, notify_bulk
from vmo.registry import selectors as registry
from vmo.registry.selectors import plate_display

from . import rules
from .choices import HandlingStatus
from .models import PenaltyDecision, Violation
from .selectors import owner_company_paths, owner_person_paths

CHUNK = 5000
UNHANDLED_DAYS = 15
HANDLING_DAYS = 30  # RP Art 20
DUE_SOON_DAYS = 3
LATE_NOTICE_DAYS = (1, 7, 14, 21, 28)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.OFFICE_TZ)


def _digest_rows(day: date) -> Iterator[tuple[int, str, int, str]]:
    """(person id, phone, records, lowest plate) for each person to tell of the records entered
    the day before, once each: the owner who answers for each record, or everyone who acts that
    day for the company that does (selectors.owner_person_paths and owner_company_paths;
    registry.company_selectors's rule, one grouped query per path and way of acting). Each
    query is grouped per person (and company) and ordered by person, so the streams merge
    without holding them; a person both legal representative and agent of one company counts
    its records once."""
    records = Violation.objects.filter(
        recorded_at__gte=_start(day - timedelta(days=1)),
        recorded_at__lt=_start(day),
        handling_status=HandlingStatus.UNHANDLED,
    ).order_by()
    none = Value(None, output_field=IntegerField())
    # `path` tells the owner's paths apart: records split between them add up, while one
    # company's records reached by two ways of acting for it count once.
    streams = [
        records.filter(kept)
        .values(
            who=F(f"{owner}_id"),
            phone=F(f"{owner}__phone"),
            company=none,
            path=Value(n, output_field=IntegerField()),
        )
        .annotate(count=Count("pk"), plate=Min("plate_number"))
        .order_by("who")
        for n, (kept, owner) in enumerate(owner_person_paths())
    ]
    for n, (kept, company) in enumerate(owner_company_paths()):
        for acting, person in registry.people_acting_paths(company, on=day):
            streams.append(
                records.filter(kept, acting)
                .values(
                    who=F(f"{person}_id"),
                    phone=F(f"{person}__phone"),
                    company=F(f"{company}_id"),
                    path=Value(n, output_field=IntegerField()),
                )
                .annotate(count=Count("pk", distinct=True), plate=Min("plate_number"))
                .order_by("who")
            )
    merged = heapq.merge(
        *(query.iterator(chunk_size=CHUNK) for query in streams), key=itemgetter("who")
    )
    for who, group in groupby(merged, key=itemgetter("who")):
        rows = list(group)
        per_owner = {(row["company"], row["path"]): row["count"] for row in rows}
        phone = next((row["phone"] for row in rows if row["phone"]), "")
        yield who, phone, sum(per_owner.values()), min(row["plate"] for row in rows)


@kinds.scan("violations.new_digest")
def scan_new_digest(*, day: date, publish: bool = True) -> int:
    """One SMS per person told for the records entered the day before (grouped in SQL)."""
    previous = (day - timedelta(days=1)).isoformat()

    def recipients() -> Iterator[Recipient]:
        for person_id, phone, count, plate in _digest_rows(day):
            # SMS only: the in-app copy of each record was written at intake.
            yield Recipient(
                dedup_key=f"violations.new_digest:{person_id}:{previous}",
                context={"count": count, "plate": plate_display(plate), "date": previous},
                phone=phone or "",
            )

    return notify_bulk(kind="violations.new_digest", recipients=recipients(), publish=publish)


@kinds.scan("violations.unhandled_15_days")
def scan_unhandled(*, day: date, publish: bool = True) -> int:
    """Records entered 15 days ago or earlier and still inside the 30 days (a missed run
    catches up), told to the owner who answers for it, or to everyone who acts for that company
    that day (registry.company_selectors's rule, one query per way of acting)."""
    entered = day - timedelta(days=UNHANDLED_DAYS)
    records = Violation.objects.filter(
        recorded_at__lt=_start(entered + timedelta(days=1)),
        recorded_at__gte=_start(day - timedelta(days=HANDLING_DAYS)),
        handling_status=HandlingStatus.UNHANDLED,
    ).order_by()
    columns = ("pk", "record_id", "plate_number", "occurred_at", "recorded_at")
    people = [
        records.filter(kept).values_list(
            *columns,
            f"{owner}__account__id",
            f"{owner}__phone",
            Value(None, output_field=IntegerField()),
        )
        for kept, owner in owner_person_paths()
    ]
    for kept, company in owner_company_paths():
        for acting, person in registry.people_acting_paths(company, on=day):
            people.append(
                records.filter(kept, acting).values_list(
                    *columns, f"{person}__account__id", f"{person}__phone", f"{person}_id"
                )
            )

    def recipients() -> Iterator[Recipient]:
        rows = (row for query in people for row in query.iterator(chunk_size=CHUNK))
        for pk, record, plate, occurred_at, recorded_at, user_id, phone, person_id in rows:
            deadline = clock.local(recorded_at).date() + timedelta(days=HANDLING_DAYS)
            key = f"violations.unhandled_15_days:{pk}"
            yield Recipient(
                dedup_key=key if person_id is None else f"{key}:p{person_id}",
                context={
                    "record": record,
                    "plate": plate_display(plate),
                    "time": clock.local(occurred_at).strftime("%Y-%m-%d %H:%M"),
                    "deadline": deadline.isoformat(),
                },
                user_id=user_id,
                phone=phone or "",
                link="/violations/",
            )

    return notify_bulk(
        kind="violations.unhandled_15_days", recipients=recipients(), publish=publish
    )


def _decision_rows(**where: object) -> Iterator[tuple]:
    return (
        PenaltyDecision.objects.filter(paid_at__isnull=True, fine_fen__gt=0, **where)
        .values_list(
            "pk",
            "number",
            "violation__plate_number",
            "fine_fen",
            "payment_due",
            "decided_by_id",
            "decided_by__person__phone",
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    )


def _decision_context(number: str, plate: str, fine_fen: int, due: date, day: date) -> dict:
    owed = rules.amount_due(fine_fen=fine_fen, due=due, on=day)
    return {
        "number": number,
        "plate": plate_display(plate),
        "fine": format_fen(owed.fine_fen),
        "fee": format_fen(owed.late_fee_fen),
        "days": owed.days_late,
        "per_day": format_fen(owed.per_day_fen),
        "total": format_fen(owed.total_fen),
        "due": due.isoformat(),
    }


@kinds.scan("violations.fine_due")
def scan_fine_due(*, day: date, publish: bool = True) -> int:
    rows = _decision_rows(
        payment_due__gte=day, payment_due__lte=day + timedelta(days=DUE_SOON_DAYS)
    )

    def recipients() -> Iterator[Recipient]:
        for pk, number, plate, fine_fen, due, user_id, phone in rows:
            yield Recipient(
                dedup_key=f"violations.fine_due:{pk}",
                context=_decision_context(number, plate, fine_fen, due, day),
                user_id=user_id,
                phone=phone or "",
                link="/violations/",
            )

    return notify_bulk(kind="violations.fine_due", recipients=recipients(), publish=publish)


@kinds.scan("violations.fine_overdue")
def scan_fine_overdue(*, day: date, publish: bool = True) -> int:
    """On the set days after the deadline and the day the fee stops growing (≤ 40 days)."""
    late_days = set(LATE_NOTICE_DAYS) | set(range(30, 41))  # 3% a day caps on day 34
    rows = _decision_rows(payment_due__in=[day - timedelta(days=n) for n in sorted(late_days)])

    def recipients() -> Iterator[Recipient]:
        for pk, number, plate, fine_fen, due, user_id, phone in rows:
            late = (day - due).days
            stops = rules.fee_growth_stops(fine_fen=fine_fen, due=due)
            if late not in LATE_NOTICE_DAYS and day != stops:
                continue
            yield Recipient(
                dedup_key=f"violations.fine_overdue:{pk}:{late}",
                context=_decision_context(number, plate, fine_fen, due, day),
                user_id=user_id,
                phone=phone or "",
                link="/violations/",
            )

    return notify_bulk(kind="violations.fine_overdue", recipients=recipients(), publish=publish)
