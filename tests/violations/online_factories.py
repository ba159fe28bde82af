"""Makers for online-handling tests: an owner with licence and vehicle, camera records."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tests.factories import CitizenFactory, LicenceFactory, VehicleFactory
from vmo.accounts.models import User
from vmo.core import clock
from vmo.registry.models import DriverLicence, Person, Vehicle
from vmo.registry.services import vehicle_set_flags
from vmo.violations.models import Violation, ViolationCode
from vmo.violations.reference import VIOLATION_CODES

_record_ids = itertools.count(1)

RED_LIGHT = "1625"  # 6 points, 200 yuan, camera
SEAT_BELT = "6011"  # 1 point, 20-200 yuan
PHONE = "1223"  # 3 points
PARKING = "1039"  # 0 points, 200 yuan
NO_PLATES = "1717"  # 9 points, counter only


@dataclass
class Owner:
    user: User
    person: Person
    licence: DriverLicence
    vehicle: Vehicle

    @property
    def plate(self) -> str:
        return self.vehicle.plates.get(status="active").number


def codes_ensure() -> None:
    """The reference codes, which migrations load; a transactional test elsewhere that flushes
    the database without serialized_rollback takes them away from later tests."""
    if ViolationCode.objects.filter(code=RED_LIGHT).exists():
        return
    for row in VIOLATION_CODES:
        ViolationCode.objects.get_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )


def owner_with_vehicle(*, first_issue: date = date(2015, 6, 1), **licence: object) -> Owner:
    user = CitizenFactory()
    person = user.person
    licence_row = LicenceFactory(holder=person, first_issue_date=first_issue, **licence)
    vehicle = VehicleFactory(owner_person=person)
    return Owner(user=user, person=person, licence=licence_row, vehicle=vehicle)


def driver_account(**licence: object) -> tuple[User, DriverLicence]:
    user = CitizenFactory()
    return user, LicenceFactory(holder=user.person, **licence)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 5), tzinfo=clock.OFFICE_TZ)


def camera_violation(
    vehicle: Vehicle,
    *,
    code: str = RED_LIGHT,
    occurred_at: datetime | None = None,
    points: int | None = None,
    fine_fen: int | None = None,
    **fields: object,
) -> Violation:
    """A camera record as intake leaves it: matched to the vehicle, which gets the G letter."""
    codes_ensure()
    row = ViolationCode.objects.get(code=code)
    when = occurred_at or clock.now() - timedelta(days=3)
    values: dict[str, object] = {
        "record_id": f"T{next(_record_ids):09d}",
        "vehicle": vehicle,
        "owner_person": vehicle.owner_person,  # the owner when it was entered
        "plate_number": vehicle.plates.get(status="active").number,
        "code": row,
        "occurred_at": when,
        "place": "昌吉市延安北路与北京南路交叉口",
        "device": "CJ-CAM-101",
        "points": row.points if points is None else points,
        "fine_fen": row.fine_max_fen if fine_fen is None else fine_fen,
        "evidence": [f"evidence/{when:%Y%m%d}/CJ-CAM-101-1.jpg"],
        "recorded_at": when + timedelta(hours=2),
    }
    violation = Violation.objects.create(**{**values, **fields})
    vehicle_set_flags(vehicle=vehicle, actor=None, add="G", reason="camera record")
    return violation
