"""A few hundred plausible records for the demo city: licences of every status, vehicles of
several types and states, violations and points. The same every time: random.Random(SEED)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from vmo.core.selectors import office_config
from vmo.registry import rules, validators
from vmo.registry.models import DriverLicence, Person, Vehicle
from vmo.registry.services import licence_set_flags, vehicle_set_flags
from vmo.violations.models import ViolationCode
from vmo.violations.reference import CAMERA_CODES

from . import identifiers as ids
from .data import (
    COLOUR_WEIGHTS,
    COLOURS,
    MODEL_WEIGHTS,
    MODELS,
    MORTGAGEES,
    PLACES_ON_ROADS,
    Model,
    address,
)
from .ensure import (
    at,
    licence_ensure,
    person_ensure,
    points_ensure,
    vehicle_ensure,
    violation_ensure,
)
from .names import Sex, person_name

SEED = 2026
BULK_PEOPLE = 300

# Licence scenarios; each appears at least once, then "normal" dominates.
LICENCE_SCENARIOS = (
    "none",
    "normal",
    "points",
    "full_score",
    "suspended",
    "revoked",
    "renewal_overdue",
    "verification_overdue",
    "stopped",
    "cancelled",
    "renewal_deferred",
    "withheld",
    "probation",
    "senior",
)
LICENCE_WEIGHTS = (10, 50, 10, 3, 2, 2, 4, 3, 1, 1, 1, 1, 6, 3)
DECIDED_FLAGS = {
    "suspended": "D",
    "revoked": "F",
    "stopped": "J",
    "cancelled": "G",
    "renewal_deferred": "N",
    "withheld": "U",
}
VEHICLE_SCENARIOS = ("normal", "overdue", "unhandled", "mortgaged", "laid_up", "due_soon")
VEHICLE_WEIGHTS = (55, 8, 15, 10, 2, 10)
_SERIALS = {
    "ordinary": ids.ordinary_serial,
    "ne_small": ids.new_energy_small_serial,
    "ne_large": ids.new_energy_large_serial,
}

# Every random draw below happens on every run, whatever the database holds, and no range
# depends on the date: the same draws then give the same keys on a second run.


def licence_validity(issue: date, today: date) -> tuple[date, date | None]:
    """6 years, then 10, then long-term (R162 Art 62), renewed on time since the first issue."""
    valid_from, valid_to = issue, rules.add_months(issue, 72)
    if valid_to < today:
        valid_from, valid_to = valid_to, rules.add_months(valid_to, 120)
    if valid_to < today:
        return valid_to, None
    return valid_from, valid_to


def _licence_fields(
    rng: random.Random, scenario: str, birth: date, k: int, region: str, today: date
) -> dict[str, Any]:
    adult = date(birth.year + 18, birth.month, min(birth.day, 28))
    recent, offset, overdue_by, large_draw = (
        rng.randint(20, 330),
        rng.randint(0, 3650),
        rng.randint(10, 300),
        rng.random(),
    )
    classes_draw = rng.random()
    if scenario == "probation":
        issue = today - timedelta(days=recent)
    else:
        issue = min(
            max(adult, date(1990, 1, 1)) + timedelta(days=offset), today - timedelta(days=400)
        )
    large = scenario == "verification_overdue" or large_draw < 0.05
    if large:
        classes = ("A1", "A2", "B2", "A2D")[int(classes_draw * 4)]
    else:
        classes = (
            "C1"
            if classes_draw < 0.7
            else "C2"
            if classes_draw < 0.9
            else "C1E"
            if classes_draw < 0.96
            else "C1D"
        )
    valid_from, valid_to = licence_validity(issue, today)
    if scenario in {"renewal_overdue", "renewal_deferred"}:
        valid_to = today - timedelta(days=overdue_by)
        valid_from = rules.add_months(valid_to, -72)
        issue = min(issue, valid_from)
    start = rules.cycle_start(issue, today)
    fields: dict[str, Any] = {
        "file_number": ids.licence_file_number(k, region),
        "classes": classes,
        "first_issue_date": issue,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    if scenario == "probation":
        fields["probation_until"] = rules.add_months(issue, 12)
    if large:
        overdue = scenario == "verification_overdue"
        fields["verification_due"] = (
            today - timedelta(days=overdue_by)
            if overdue
            else rules.cycle_end(start) + timedelta(days=30)
        )
    if scenario == "senior":
        fields["physical_due"] = rules.cycle_end(start) + timedelta(days=30)
    return fields


def _bulk_people(regions: list[str]) -> list[tuple[int, str, date, Sex]]:
    """(counter, ID number, birth date, sex) of adults, the same on every run."""
    people: list[tuple[int, str, date, Sex]] = []
    k = 0
    while len(people) < BULK_PEOPLE:
        k += 1
        number = ids.id_number(k, regions)
        info = validators.parse_id_number(number)
        # Fixed bounds (not today's), so the same counters qualify on every run.
        if date(1946, 1, 1) <= info.birth_date <= date(2004, 12, 31):
            people.append((k, number, info.birth_date, info.sex))
    return people


@dataclass
class _Bulk:
    rng: random.Random
    today: date
    prefix: str
    codes: list[ViolationCode]
    pool: list[Vehicle]
    plate_k: dict[str, int]
    violation_k: int = 100

    def next_record_id(self) -> str:
        self.violation_k += 1
        return f"DEMO{self.violation_k:06d}"

    def when(self, first: date, days: int) -> datetime:
        """A time in the `days` days from `first`, drawn without a date-dependent range."""
        day_fraction, hour = self.rng.random(), self.rng.randint(7, 21)
        return at(first + timedelta(days=int(day_fraction * max(days, 1))), hour)


def _bulk_vehicle(b: _Bulk, person: Person) -> Vehicle:
    rng, today = b.rng, b.today
    model: Model = rng.choices(MODELS, MODEL_WEIGHTS)[0]
    scenario = rng.choices(VEHICLE_SCENARIOS, VEHICLE_WEIGHTS)[0]
    year = rng.randint(2008, 2025)
    registered = date(year, rng.randint(1, 12), rng.randint(1, 28))
    overdue, due_soon, later = rng.randint(15, 700), rng.randint(5, 85), rng.randint(90, 700)
    inspection = {
        "overdue": today - timedelta(days=overdue),
        "due_soon": today + timedelta(days=due_soon),
    }.get(scenario, today + timedelta(days=later))
    colour, engine, built = (
        rng.choices(COLOURS, COLOUR_WEIGHTS)[0],
        rng.randint(10**7, 10**8 - 1),
        rng.randint(20, 200),
    )
    insurance = today + timedelta(days=rng.randint(-30, 360))
    mortgagee, mortgaged_after = rng.choice(MORTGAGEES), rng.randint(0, 30)
    unhandled = rng.randint(1, 3) if scenario == "unhandled" else 0
    b.plate_k[model.plate_kind] += 1
    vehicle, created = vehicle_ensure(
        vin=ids.vin(len(b.pool) + 100, wmi=model.wmi, vds=model.vds, year=year),
        vehicle_type=model.vehicle_type,
        use_nature=model.use_nature,
        brand=model.brand,
        model_name=model.name,
        colour=colour,
        engine_number=f"{model.wmi[1:]}{engine}",
        seats=model.seats,
        new_energy=model.new_energy,
        manufacture_date=registered - timedelta(days=built),
        registration_date=registered,
        inspection_valid_until=inspection,
        insurance_valid_until=insurance,
        plate_number=b.prefix + _SERIALS[model.plate_kind](b.plate_k[model.plate_kind]),
        plate_type=model.plate_type,
        owner_person=person,
    )
    b.pool.append(vehicle)
    for _n in range(unhandled):
        violation_ensure(
            record_id=b.next_record_id(),
            vehicle=vehicle,
            code=rng.choice(b.codes),
            occurred_at=b.when(today - timedelta(days=200), 197),
            handled=False,
            place=rng.choice(PLACES_ON_ROADS),
        )
    if not created:
        return vehicle
    if unhandled:
        vehicle_set_flags(
            vehicle=vehicle, actor=None, add="G", reason="demo: violations not handled"
        )
    if scenario == "laid_up":
        vehicle_set_flags(vehicle=vehicle, actor=None, add="D", reason="demo: laid up by the owner")
    if scenario == "mortgaged":
        # No mortgage service yet (抵押登记 belongs to the applications); record the facts.
        Vehicle.objects.filter(pk=vehicle.pk).update(
            mortgagee=mortgagee, mortgaged_on=registered + timedelta(days=mortgaged_after)
        )
    return vehicle


def _bulk_points(b: _Bulk, licence: DriverLicence, scenario: str, own: list[Vehicle]) -> None:
    """Handled violations on the driver's own car (or a car they drove) put points on the ledger."""
    rng = b.rng
    wanted = {"points": rng.choice((1, 3, 4, 6, 7, 9)), "full_score": 12}.get(
        scenario, rng.choice((0, 0, 0, 1, 3))
    )
    start = rules.cycle_start(licence.first_issue_date, b.today)
    while wanted > 0 and (own or b.pool):
        fitting = [c for c in b.codes if 0 < c.points <= wanted]
        code = (
            max(fitting, key=lambda c: c.points)
            if scenario == "full_score"
            else rng.choice(fitting)
        )
        wanted -= code.points
        violation, _ = violation_ensure(
            record_id=b.next_record_id(),
            vehicle=rng.choice(own or b.pool),
            code=code,
            occurred_at=b.when(start, (b.today - start).days),
            handled=True,
            place=rng.choice(PLACES_ON_ROADS),
        )
        points_ensure(licence, violation)


def bulk_ensure(today: date) -> None:
    rng = random.Random(SEED)
    config = office_config()
    regions = [r.strip() for r in config.region_codes.split(",") if r.strip()]
    b = _Bulk(
        rng=rng,
        today=today,
        prefix=validators.normalise_plate(config.plate_prefix),
        codes=list(ViolationCode.objects.filter(code__in=CAMERA_CODES).order_by("code")),
        pool=[],
        plate_k={"ordinary": 0, "ne_small": 0, "ne_large": 0},
    )
    for n, (k, number, birth, sex) in enumerate(_bulk_people(regions)):
        region = number[:6]
        person = person_ensure(
            name=person_name(rng, sex),
            id_number=number,
            phone=ids.phone(k),
            address=address(rng, region, config.city_name_zh),
        )
        scenario = (
            LICENCE_SCENARIOS[n]
            if n < len(LICENCE_SCENARIOS)
            else rng.choices(LICENCE_SCENARIOS, LICENCE_WEIGHTS)[0]
        )
        if scenario == "senior" and birth > date(1955, 12, 31):
            scenario = "normal"
        fields = _licence_fields(rng, scenario, birth, k, region, today)
        own = [_bulk_vehicle(b, person) for _v in range(rng.choices((0, 1, 2), (45, 45, 10))[0])]
        if scenario == "none":
            continue
        licence, created = licence_ensure(person, **fields)
        _bulk_points(b, licence, scenario, own)
        if created and scenario in DECIDED_FLAGS:
            licence_set_flags(
                licence=licence,
                actor=None,
                add=DECIDED_FLAGS[scenario],
                reason=f"demo: {scenario.replace('_', ' ')}",
            )
