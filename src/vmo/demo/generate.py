"""The scale generator: a prefecture of N people, for benchmarks.

About 70% of the people hold a driving licence, about 45% own a vehicle (with its plate and
vehicle licence), and about a fifth of the vehicles have violations, some not handled (status
G) and the handled ones scoring points. Status letters are derived with registry.rules, as
the services would. Identifiers come from counters through bijections (identifiers.py) and
are checked against the database in bulk, so a run never collides with the demo, with
people who signed up, or with an earlier run. Rows go in by COPY on PostgreSQL.

No history events are written: these are synthetic records, not decisions.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from django.db import connection, reset_queries, transaction

from vmo.core import clock, crypto
from vmo.core.fields import EncryptedTextField
from vmo.core.selectors import office_config
from vmo.registry import rules, validators
from vmo.registry.lookup import id_lookup_hash, phone_lookup_hash
from vmo.registry.models import DriverLicence, Person, Plate, PointsEntry, Vehicle, VehicleLicence
from vmo.violations.choices import HandlingStatus, PaymentStatus
from vmo.violations.models import Violation, ViolationCode
from vmo.violations.reference import CAMERA_CODES

from . import identifiers as ids
from .bulkwrite import Allocator, IdReserver, Table, existing
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
from .ensure import violation_codes_sync
from .names import Sex, person_name
from .population import licence_validity

LICENCE_SHARE_OF_ADULTS = 0.865  # about 81% of the people are adults: ~70% hold a licence
VEHICLE_SHARE_OF_DRIVERS = 0.64  # ~45% of the people own a vehicle
SECOND_VEHICLE_SHARE = 0.10
VIOLATION_SHARE = 0.22
HANDLED_SHARE = 0.75
MORTGAGED_SHARE = 0.08
LAID_UP_SHARE = 0.01
LICENCE_SCENARIOS = (
    "normal",
    "renewal_overdue",
    "suspended",
    "revoked",
    "cancelled",
    "stopped",
    "renewal_deferred",
    "withheld",
    "full_score",
    "verification_overdue",
)
LICENCE_CUM = list(accumulate((88.0, 3, 0.6, 0.5, 0.5, 0.2, 0.2, 0.2, 0.6, 0.5)))
DECIDED_FLAGS = {
    "suspended": "D",
    "revoked": "F",
    "cancelled": "G",
    "stopped": "J",
    "renewal_deferred": "N",
    "withheld": "U",
}
MODEL_CUM = list(accumulate(MODEL_WEIGHTS))
COLOUR_CUM = list(accumulate(COLOUR_WEIGHTS))
_SERIALS = {
    "ordinary": ids.ordinary_serial,
    "ne_small": ids.new_energy_small_serial,
    "ne_large": ids.new_energy_large_serial,
}


@dataclass
class Totals:
    people: int = 0
    licences: int = 0
    vehicles: int = 0
    violations: int = 0
    points: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.people / self.seconds if self.seconds else 0
        return (
            f"{self.people:,} people, {self.licences:,} licences, {self.vehicles:,} vehicles, "
            f"{self.violations:,} violations, {self.points:,} points entries in {self.seconds:.1f}s ({rate:,.0f} people/s)"
        )


@dataclass
class _VehicleSpec:
    owner: int
    model: Model
    year: int
    registered: date
    colour: str
    engine: str
    inspection: date
    insurance: date
    flags: set[str] = field(default_factory=set)
    mortgagee: str = ""
    mortgaged_on: date | None = None


@dataclass
class _LicenceSpec:
    holder: int
    fields: dict[str, Any]
    scenario: str
    points_now: int = 0


def _plates_of_kind(kind: str) -> Any:
    type_code = {"ne_small": "52", "ne_large": "51"}.get(kind)
    return (
        Plate.objects.filter(plate_type=type_code)
        if type_code
        else Plate.objects.exclude(plate_type__in=["51", "52"])
    )


def _purpose(name: str) -> str:
    field = Person._meta.get_field(name)
    assert isinstance(field, EncryptedTextField)
    return field.purpose


class Generator:
    def __init__(self, *, seed: int, today: date, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.today, self.now = today, now
        config = office_config()
        self.regions = [r.strip() for r in config.region_codes.split(",") if r.strip()]
        self.city = config.city_name_zh
        self.prefix = validators.normalise_plate(config.plate_prefix)
        if not ViolationCode.objects.filter(code__in=CAMERA_CODES).exists():
            violation_codes_sync()
        self.codes = list(ViolationCode.objects.filter(code__in=CAMERA_CODES).order_by("code"))
        self.red_light = next((c for c in self.codes if c.points == 6), None)
        self.purposes = {name: _purpose(name) for name in ("id_number", "phone", "address")}
        self._hashes: dict[str, str] = {}
        reserve = ids.DEMO_RESERVE
        active_plates = Plate.objects.filter(status="active")
        self.people_ids = Allocator(
            start=reserve + Person.objects.count(),
            make=lambda k, _: ids.id_number(k, self.regions),
            taken=self._ids_taken,
        )
        self.licence_numbers = Allocator(
            start=reserve + DriverLicence.objects.count(),
            make=lambda k, _: ids.licence_file_number(k, self.regions[0]),
            taken=lambda values: existing(DriverLicence.objects, "file_number", values),
        )
        self.vins = Allocator(
            start=reserve + Vehicle.objects.count(),
            make=lambda k, v: ids.vin(k, wmi=v.model.wmi, vds=v.model.vds, year=v.year),
            taken=lambda values: existing(Vehicle.objects, "vin", values),
        )
        self.plates = {
            kind: Allocator(
                start=reserve + _plates_of_kind(kind).count(),
                make=lambda k, _, serial=serial: self.prefix + serial(k),  # type: ignore[misc]
                taken=lambda values: existing(active_plates, "number", values),
            )
            for kind, serial in _SERIALS.items()
        }
        self.record_ids = Allocator(
            start=reserve + Violation.objects.count(),
            make=lambda k, _: f"6523{k:016d}",
            taken=lambda values: existing(Violation.objects, "record_id", values),
        )
        self.pk = {
            model: IdReserver(model)
            for model in (
                Person,
                DriverLicence,
                Vehicle,
                Plate,
                VehicleLicence,
                Violation,
                PointsEntry,
            )
        }
        self.tables = {model: Table(model) for model in self.pk}

    def _ids_taken(self, numbers: list[str]) -> set[str]:
        by_hash = {id_lookup_hash(n): n for n in numbers}
        taken = {by_hash[h] for h in existing(Person.objects, "id_hash", list(by_hash))}
        # Kept until the row is built, so each number is hashed once.
        self._hashes.update({n: h for h, n in by_hash.items() if n not in taken})
        return taken

    # --- Pass 1: draw every decision --------------------------------------------------------

    def _licence_spec(self, holder: int, birth: date) -> _LicenceSpec | None:
        rng, today = self.rng, self.today
        adult = date(birth.year + 18, birth.month, min(birth.day, 28))
        if adult >= today or rng.random() >= LICENCE_SHARE_OF_ADULTS:
            return None
        scenario = rng.choices(LICENCE_SCENARIOS, cum_weights=LICENCE_CUM)[0]
        earliest = max(adult, date(1988, 1, 1))
        issue = earliest + timedelta(days=int(rng.random() * max((today - earliest).days - 1, 1)))
        large = scenario == "verification_overdue" or (
            rng.random() < 0.05 and today.year - birth.year < 60
        )
        classes = (
            rng.choice(("A1", "A2", "B2", "A2D", "B2E"))
            if large
            else rng.choices(("C1", "C2", "C1E", "C1D"), cum_weights=(70, 90, 96, 100))[0]
        )
        valid_from, valid_to = licence_validity(issue, today)
        lapsed = today - timedelta(days=rng.randint(1, 360))
        if scenario in {"renewal_overdue", "renewal_deferred"}:
            if valid_to is not None and (lapsed - issue).days > 365:
                valid_to, valid_from = lapsed, max(issue, rules.add_months(lapsed, -72))
            else:
                scenario = "normal"  # a recent or long-term licence cannot have lapsed
        start = rules.cycle_start(issue, today)
        fields: dict[str, Any] = {
            "classes": classes,
            "first_issue_date": issue,
            "valid_from": valid_from,
            "valid_to": valid_to,
        }
        if (today - issue).days < 365:
            fields["probation_until"] = rules.add_months(issue, 12)
        if large:
            overdue = scenario == "verification_overdue"
            fields["verification_due"] = (
                today - timedelta(days=rng.randint(1, 200))
                if overdue
                else rules.cycle_end(start) + timedelta(days=30)
            )
        if today.year - birth.year >= 70:
            fields["physical_due"] = rules.cycle_end(start) + timedelta(days=30)
        return _LicenceSpec(holder=holder, fields=fields, scenario=scenario)

    def _vehicle_spec(self, owner: int) -> _VehicleSpec:
        rng, today = self.rng, self.today
        model = rng.choices(MODELS, cum_weights=MODEL_CUM)[0]
        year = rng.randint(2006, today.year - 1)
        registered = date(year, rng.randint(1, 12), rng.randint(1, 28))
        draw = rng.random()
        inspection = (
            today - timedelta(days=rng.randint(1, 900))
            if draw < 0.05
            else today + timedelta(days=rng.randint(0, 720))
        )
        spec = _VehicleSpec(
            owner=owner,
            model=model,
            year=year,
            registered=registered,
            colour=rng.choices(COLOURS, cum_weights=COLOUR_CUM)[0],
            engine=f"{model.wmi[1:]}{rng.randint(10**7, 10**8 - 1)}",
            inspection=inspection,
            insurance=today + timedelta(days=rng.randint(-60, 365)),
        )
        if rng.random() < MORTGAGED_SHARE:
            spec.mortgagee = rng.choice(MORTGAGEES)
            spec.mortgaged_on = registered + timedelta(days=rng.randint(0, 60))
        if rng.random() < LAID_UP_SHARE:
            spec.flags.add("D")
        return spec

    def _moment(self, days_back: int) -> datetime:
        day = self.today - timedelta(days=int(self.rng.random() * days_back) + 1)
        return datetime(
            day.year,
            day.month,
            day.day,
            self.rng.randint(7, 22),
            self.rng.randint(0, 59),
            tzinfo=clock.OFFICE_TZ,
        )

    # --- One batch ------------------------------------------------------------------------

    def batch(self, size: int, totals: Totals) -> None:
        rng, today = self.rng, self.today
        people = self.people_ids.take([None] * size)
        persons: list[tuple[str, str, date, str, str, str, str]] = []
        licences: list[_LicenceSpec] = []
        vehicles: list[_VehicleSpec] = []
        violations: list[dict[str, Any]] = []
        points: list[tuple[int, int]] = []  # (licence index, violation index)
        for i, (k, number) in enumerate(people):
            birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            sex: Sex = "M" if int(number[16]) % 2 else "F"
            region = number[:6]
            persons.append(
                (
                    number,
                    person_name(rng, sex),
                    birth,
                    sex,
                    region,
                    ids.phone(k),
                    address(rng, region, self.city),
                )
            )
            licence = self._licence_spec(i, birth)
            if licence is None:
                continue
            licences.append(licence)
            count = (
                (2 if rng.random() < SECOND_VEHICLE_SHARE else 1)
                if rng.random() < VEHICLE_SHARE_OF_DRIVERS
                else 0
            )
            for _n in range(count):
                vehicles.append(self._vehicle_spec(i))
                if rng.random() < VIOLATION_SHARE:
                    for _m in range(rng.randint(1, 3)):
                        handled = rng.random() < HANDLED_SHARE
                        violations.append(
                            {
                                "vehicle": len(vehicles) - 1,
                                "code": rng.choice(self.codes),
                                "occurred_at": self._moment(400),
                                "handled": handled,
                            }
                        )
                        if handled and violations[-1]["code"].points:
                            points.append((len(licences) - 1, len(violations) - 1))
            if licence.scenario == "full_score" and vehicles and self.red_light is not None:
                start = rules.cycle_start(licence.fields["first_issue_date"], today)
                for _n in range(2):
                    when = self._moment(max((today - start).days, 1))
                    violations.append(
                        {
                            "vehicle": len(vehicles) - 1,
                            "code": self.red_light,
                            "occurred_at": when,
                            "handled": True,
                        }
                    )
                    points.append((len(licences) - 1, len(violations) - 1))

        # Points before the first issue date cannot score; the rest go in their cycle.
        entries = []
        for li, vi in points:
            licence, violation = licences[li], violations[vi]
            occurred = clock.local(violation["occurred_at"]).date()
            issue = licence.fields["first_issue_date"]
            if occurred < issue:
                continue
            cycle = rules.cycle_start(issue, occurred)
            entries.append((li, vi, cycle, occurred))
            if cycle == rules.cycle_start(issue, today):
                licence.points_now += violation["code"].points
        self._write(persons, licences, vehicles, violations, entries, totals)

    # --- Pass 2: identifiers, keys, rows ----------------------------------------------------

    def _write(
        self,
        persons: list[Any],
        licences: list[_LicenceSpec],
        vehicles: list[_VehicleSpec],
        violations: list[dict[str, Any]],
        entries: list[Any],
        totals: Totals,
    ) -> None:
        today, now, enc, t = self.today, self.now, crypto.encrypt, self.tables
        file_numbers = self.licence_numbers.take([None] * len(licences))
        vins = self.vins.take(vehicles)
        plates: list[str] = [""] * len(vehicles)
        for kind, allocator in self.plates.items():
            wanted = [i for i, v in enumerate(vehicles) if v.model.plate_kind == kind]
            for i, (_k, number) in zip(wanted, allocator.take([None] * len(wanted)), strict=True):
                plates[i] = number
        record_ids = self.record_ids.take([None] * len(violations))
        person_pk = self.pk[Person].take(len(persons))
        licence_pk = self.pk[DriverLicence].take(len(licences))
        vehicle_pk = self.pk[Vehicle].take(len(vehicles))
        plate_pk, vl_pk = (
            self.pk[Plate].take(len(vehicles)),
            self.pk[VehicleLicence].take(len(vehicles)),
        )
        violation_pk, entry_pk = (
            self.pk[Violation].take(len(violations)),
            self.pk[PointsEntry].take(len(entries)),
        )

        for pk, (number, name, birth, sex, region, phone, addr) in zip(
            person_pk, persons, strict=True
        ):
            t[Person].add(
                id=pk,
                name=name,
                id_number=enc(number, purpose=self.purposes["id_number"]),
                id_hash=self._hashes.pop(number, None) or id_lookup_hash(number),
                birth_date=birth,
                sex=sex,
                region_code=region,
                phone=enc(phone, purpose=self.purposes["phone"]),
                phone_hash=phone_lookup_hash(phone),
                email="",
                address=enc(addr, purpose=self.purposes["address"]),
                created_at=now,
            )
        unhandled = {v["vehicle"] for v in violations if not v["handled"]}
        for i, (pk, spec) in enumerate(zip(vehicle_pk, vehicles, strict=True)):
            flags = "".join(sorted(spec.flags | ({"G"} if i in unhandled else set())))
            m = spec.model
            t[Vehicle].add(
                id=pk,
                vin=vins[i][1],
                vehicle_type=m.vehicle_type,
                use_nature=m.use_nature,
                brand=m.brand,
                model_name=m.name,
                colour=spec.colour,
                engine_number=spec.engine,
                seats=m.seats,
                new_energy=m.new_energy,
                manufacture_date=spec.registered - timedelta(days=30),
                registration_date=spec.registered,
                owner_person_id=person_pk[spec.owner],
                owner_company_id=None,
                flags=flags,
                status=rules.vehicle_status(
                    flags=flags, inspection_valid_until=spec.inspection, today=today
                ),
                inspection_valid_until=spec.inspection,
                insurance_valid_until=spec.insurance,
                mortgagee=spec.mortgagee,
                mortgaged_on=spec.mortgaged_on,
                scrap_date=None,
                updated_at=now,
            )
            t[Plate].add(
                id=plate_pk[i],
                number=plates[i],
                plate_type=m.plate_type,
                vehicle_id=pk,
                status="active",
                issued_on=spec.registered,
            )
            t[VehicleLicence].add(
                id=vl_pk[i],
                vehicle_id=pk,
                file_number=vins[i][1][-12:],
                issued_on=spec.registered,
                is_valid=True,
            )
        for pk, lspec, (_k, file_number) in zip(licence_pk, licences, file_numbers, strict=True):
            flags = DECIDED_FLAGS.get(lspec.scenario, "")
            f = lspec.fields
            t[DriverLicence].add(
                id=pk,
                holder_id=person_pk[lspec.holder],
                file_number=file_number,
                flags=flags,
                status=rules.licence_status(
                    flags=flags,
                    points=lspec.points_now,
                    valid_to=f["valid_to"],
                    verification_due=f.get("verification_due"),
                    renewal_deferred_until=f.get("renewal_deferred_until"),
                    today=today,
                ),
                probation_until=f.get("probation_until"),
                verification_due=f.get("verification_due"),
                physical_due=f.get("physical_due"),
                updated_at=now,
                classes=f["classes"],
                first_issue_date=f["first_issue_date"],
                valid_from=f["valid_from"],
                valid_to=f["valid_to"],
            )
        for i, (pk, v, (_k, record_id)) in enumerate(
            zip(violation_pk, violations, record_ids, strict=True)
        ):
            code = v["code"]
            t[Violation].add(
                id=pk,
                record_id=record_id,
                vehicle_id=vehicle_pk[v["vehicle"]],
                plate_number=plates[v["vehicle"]],
                code_id=code.pk,
                occurred_at=v["occurred_at"],
                place=PLACES_ON_ROADS[i % len(PLACES_ON_ROADS)],
                device=f"CJ-CAM-{100 + i % 900}",
                points=code.points,
                fine_fen=code.fine_max_fen,
                handling_status=HandlingStatus.HANDLED
                if v["handled"]
                else HandlingStatus.UNHANDLED,
                payment_status=PaymentStatus.PAID if v["handled"] else PaymentStatus.UNPAID,
                recorded_at=v["occurred_at"] + timedelta(hours=5),
            )
        for pk, (li, vi, cycle, occurred) in zip(entry_pk, entries, strict=True):
            code = violations[vi]["code"]
            t[PointsEntry].add(
                id=pk,
                licence_id=licence_pk[li],
                cycle_start=cycle,
                occurred_on=occurred,
                points=code.points,
                kind="violation",
                source_type="violation",
                source_id=str(violation_pk[vi]),
                note=code.code,
                created_at=now,
            )
        # Parents first: the foreign keys are checked row by row.
        with transaction.atomic():
            for model in (
                Person,
                DriverLicence,
                Vehicle,
                Plate,
                VehicleLicence,
                Violation,
                PointsEntry,
            ):
                t[model].flush()
        totals.people += len(persons)
        totals.licences += len(licences)
        totals.vehicles += len(vehicles)
        totals.violations += len(violations)
        totals.points += len(entries)


def generate(
    *, people: int, seed: int = 2026, batch: int = 20_000, progress: Callable[[str], None] = print
) -> Totals:
    started = time.monotonic()
    gen = Generator(seed=seed, today=clock.today(), now=clock.now())
    totals = Totals()
    while totals.people < people:
        gen.batch(min(batch, people - totals.people), totals)
        # With DEBUG on, Django keeps every query's SQL; the bulk lookups are megabytes each.
        reset_queries()
        totals.seconds = time.monotonic() - started
        progress(totals.line())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner knows the tables just grew.
            for model in gen.tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    totals.seconds = time.monotonic() - started
    return totals
