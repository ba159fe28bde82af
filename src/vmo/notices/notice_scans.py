"""The daily vehicle scans (scans.py holds the licences'), set-based as those are: each finds
the vehicles its kind applies to on ``day`` and whom to tell of each, the owner or, for a
company's vehicle, everyone who acts for the company that day (registry.company_selectors).

The compulsory scrapping scan after three missed inspection cycles (机动车强制报废标准规定
Art 4(4)) reads the vehicles ``registry.scrap`` finds, the same the officers' worklist reads;
the notice's outbox row is the fact that the owner was told, and its date starts the period
before the office may announce the certificates void (R164 Art 41(1), ``registry.scrap``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from django.db.models import IntegerField, Q, QuerySet, Value

from vmo.core.plates import plate_text
from vmo.registry import inspection, scrap
from vmo.registry import selectors as registry
from vmo.registry.choices import PlateStatus

from . import kinds, services
from .scans import CHUNK, VEHICLE_GONE, untold
from .services import Recipient


def vehicle_told_key(kind: str, vehicle_id: int, when: date, person_id: int | None) -> str:
    """A vehicle notice's key (without the channel): the owner's, or, for a company's vehicle,
    one per person told (each who acts for the company is told once)."""
    key = f"{kind}:{vehicle_id}:{when.isoformat()}"
    return key if person_id is None else f"{key}:p{person_id}"


def vehicle_recipient_rows(
    kind: str,
    queryset: QuerySet[Any, Any],
    date_field: str,
    *,
    day: date,
    extra: tuple[str, ...] = (),
) -> Iterator[tuple[Any, ...]]:
    """The vehicles of ``queryset`` (already filtered to their active plate, whose join the
    number is read from) not yet told of ``kind``, each with whom to tell: (pk, plate number,
    account id, phone, person id or None, date, *extra fields). A person's vehicle: its owner.
    A company's: everyone who acts for the company on ``day`` (registry.company_selectors's
    rule: its legal representative and its current agents), one query per way of acting."""
    yield from (
        queryset.filter(owner_person__isnull=False)
        .filter(untold(kind, date_field))
        .values_list(
            "pk",
            "plates__number",
            "owner_person__account__id",
            "owner_person__phone",
            Value(None, output_field=IntegerField()),
            date_field,
            *extra,
        )
        .order_by()
        .iterator(chunk_size=CHUNK)
    )
    for acting, person in registry.people_acting_paths("owner_company", on=day):
        # One filter() call: the person's join is the one the acting rule filtered.
        yield from (
            queryset.filter(
                acting,
                untold(kind, date_field, f"{person}_id"),
                owner_company__isnull=False,
            )
            .values_list(
                "pk",
                "plates__number",
                f"{person}__account__id",
                f"{person}__phone",
                f"{person}_id",
                date_field,
                *extra,
            )
            .order_by()
            .iterator(chunk_size=CHUNK)
        )


def _vehicle_scan(kind: str, where: Q, date_field: str, *, day: date, publish: bool) -> int:
    vehicles = (
        registry.vehicles()
        .filter(where, plates__status=PlateStatus.ACTIVE)
        .filter(~registry.letters_q(*VEHICLE_GONE))
    )
    rows = vehicle_recipient_rows(kind, vehicles, date_field, day=day)

    def recipients() -> Iterator[Recipient]:
        for pk, number, user_id, phone, person_id, when in rows:
            yield Recipient(
                dedup_key=vehicle_told_key(kind, pk, when, person_id),
                context={
                    "plate": plate_text(number),
                    "date": when.isoformat(),
                    "days": (when - day).days,
                },
                user_id=user_id,
                phone=phone or "",
                link="/me/",
            )

    return services.notify_bulk(kind=kind, recipients=recipients(), publish=publish)


@kinds.scan("vehicle.inspection_due")
def scan_inspection_due(*, day: date, publish: bool = True) -> int:
    # The window the sticker and the bookings open (R164 Art 54), from the registry's one rule.
    where = Q(
        inspection_valid_until__gte=day,
        inspection_valid_until__lte=inspection.window_latest_until(day),
    )
    return _vehicle_scan(
        "vehicle.inspection_due", where, "inspection_valid_until", day=day, publish=publish
    )


# [U] Two years overdue is "near" forced cancellation: three missed cycles are three years
# for a yearly-inspected vehicle (a car inspected every two years gets longer than this).
FORCED_CANCELLATION_WARNING = timedelta(days=730)


@kinds.scan("vehicle.inspection_overdue")
def scan_inspection_overdue(*, day: date, publish: bool = True) -> int:
    where = Q(
        inspection_valid_until__lt=day,
        inspection_valid_until__gt=day - FORCED_CANCELLATION_WARNING,
    )
    return _vehicle_scan(
        "vehicle.inspection_overdue", where, "inspection_valid_until", day=day, publish=publish
    )


@kinds.scan("vehicle.forced_cancellation_near")
def scan_forced_cancellation_near(*, day: date, publish: bool = True) -> int:
    where = Q(inspection_valid_until__lte=day - FORCED_CANCELLATION_WARNING)
    return _vehicle_scan(
        "vehicle.forced_cancellation_near",
        where,
        "inspection_valid_until",
        day=day,
        publish=publish,
    )


@kinds.scan("vehicle.scrap_age")
def scan_scrap_age(*, day: date, publish: bool = True) -> int:
    where = Q(scrap_date__gte=day, scrap_date__lte=day + timedelta(days=90))
    return _vehicle_scan("vehicle.scrap_age", where, "scrap_date", day=day, publish=publish)


@kinds.scan("vehicle.insurance_ending")
def scan_insurance_ending(*, day: date, publish: bool = True) -> int:
    where = Q(insurance_valid_until__gte=day, insurance_valid_until__lte=day + timedelta(days=30))
    return _vehicle_scan(
        "vehicle.insurance_ending", where, "insurance_valid_until", day=day, publish=publish
    )


SCRAP_REACHED = "vehicle.compulsory_scrap_reached"
# What the cycle rule reads of a vehicle besides its validity (registry.inspection).
RULE_FIELDS = ("vehicle_type", "use_nature", "seats", "registration_date")


def scrap_told_key(vehicle_id: int, valid_until: date, person_id: int | None = None) -> str:
    """The notice's key for one vehicle and validity date (without the channel); for a
    company's vehicle, one per person who acts for it (``scans.vehicle_told_key``)."""
    return vehicle_told_key(SCRAP_REACHED, vehicle_id, valid_until, person_id)


@kinds.scan(SCRAP_REACHED)
def scan_compulsory_scrap_reached(*, day: date, publish: bool = True) -> int:
    """Owners of vehicles whose third missed cycle has ended (强制报废标准 Art 4), once per
    validity date (a company's vehicle: everyone who acts for the company); cycle lengths
    depend on age, so each candidate the rows name is checked by the rule."""
    rows = vehicle_recipient_rows(
        SCRAP_REACHED,
        scrap.candidates(day),
        "inspection_valid_until",
        day=day,
        extra=RULE_FIELDS,
    )

    def recipients() -> Iterator[Recipient]:
        for pk, number, user_id, phone, person_id, when, *rule in rows:
            vehicle = SimpleNamespace(
                inspection_valid_until=when, **dict(zip(RULE_FIELDS, rule, strict=True))
            )
            if not scrap.reached(vehicle, day):
                continue
            yield Recipient(
                dedup_key=scrap_told_key(pk, when, person_id),
                context={
                    "plate": plate_text(number),
                    "date": when.isoformat(),
                    "days": scrap.CANCEL_PERIOD_DAYS,
                },
                user_id=user_id,
                phone=phone or "",
                link="/me/",
            )

    return services.notify_bulk(kind=SCRAP_REACHED, recipients=recipients(), publish=publish)
