"""Finders-or-makers on stable keys: each returns the record already there, or makes it through
the registry's services. They make the demo idempotent."""

from __future__ import annotations

import zlib
from datetime import date, datetime, time, timedelta
from typing import Any

from vmo.core import clock
from vmo.registry.lookup import id_lookup_hash
from vmo.registry.models import DriverLicence, Person, PointsEntry, Vehicle
from vmo.registry.services import licence_create, person_create, points_record, vehicle_create
from vmo.violations.choices import HandlingStatus, PaymentStatus
from vmo.violations.models import Violation, ViolationCode
from vmo.violations.reference import COUNTER_ONLY, SPEEDING_CODES, VIOLATION_CODES

POINTS_SOURCE = "violation"


def person_ensure(*, name: str, id_number: str, phone: str, address: str) -> Person:
    existing = Person.objects.filter(id_hash=id_lookup_hash(id_number)).first()
    if existing is not None:
        return existing
    return person_create(actor=None, name=name, id_number=id_number, phone=phone, address=address)


def licence_ensure(holder: Person, **fields: Any) -> tuple[DriverLicence, bool]:
    existing = DriverLicence.objects.filter(holder=holder).first()
    if existing is not None:
        return existing, False
    return licence_create(actor=None, holder=holder, **fields), True


def vehicle_ensure(*, vin: str, **fields: Any) -> tuple[Vehicle, bool]:
    existing = Vehicle.objects.filter(vin=vin).first()
    if existing is not None:
        return existing, False
    return vehicle_create(actor=None, vin=vin, **fields), True


def violation_ensure(
    *,
    record_id: str,
    vehicle: Vehicle,
    code: ViolationCode,
    occurred_at: datetime,
    handled: bool,
    place: str,
) -> tuple[Violation, bool]:
    plate = vehicle.plates.filter(status="active").values_list("number", flat=True).first() or ""
    return Violation.objects.get_or_create(
        record_id=record_id,
        defaults={
            "vehicle": vehicle,
            "plate_number": plate,
            "code": code,
            "occurred_at": occurred_at,
            "place": place,
            "device": f"CJ-CAM-{zlib.crc32(place.encode()) % 900 + 100}",
            "points": code.points,
            "fine_fen": code.fine_max_fen,
            "handling_status": HandlingStatus.HANDLED if handled else HandlingStatus.UNHANDLED,
            "payment_status": PaymentStatus.PAID if handled else PaymentStatus.UNPAID,
            "recorded_at": occurred_at + timedelta(hours=6),
        },
    )


def points_ensure(licence: DriverLicence, violation: Violation) -> None:
    """Points of a handled violation go on the driver's ledger, once."""
    if violation.points == 0:
        return
    source = {"source_type": POINTS_SOURCE, "source_id": str(violation.pk), "kind": "violation"}
    if PointsEntry.objects.filter(**source).exists():
        return
    points_record(
        licence=licence,
        actor=None,
        points=violation.points,
        occurred_on=clock.local(violation.occurred_at).date(),
        note=violation.code.code,
        **source,
    )


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 17), tzinfo=clock.OFFICE_TZ)


def violation_codes_sync() -> None:
    """The migration loads the codes; this restores them on a database flushed since (tests)."""
    for row in VIOLATION_CODES:
        ViolationCode.objects.get_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
    # Flags the later migrations set, so a restored table says the same as a migrated one.
    ViolationCode.objects.filter(code__in=SPEEDING_CODES).update(speed_required=True)
    ViolationCode.objects.filter(code__in=COUNTER_ONLY).update(online_handleable=False)
