"""One batch of the scale generator: draw, take identifiers and keys in bulk, write by COPY."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.db import transaction

from vmo.accounts.models import User
from vmo.applications.models import Application
from vmo.core import crypto
from vmo.core.fields import EncryptedTextField
from vmo.notices.models import Message
from vmo.payments.models import PaymentOrder
from vmo.registry import rules
from vmo.registry.lookup import id_lookup_hash, phone_lookup_hash
from vmo.registry.models import DriverLicence, Person, Plate, PointsEntry, Vehicle, VehicleLicence
from vmo.violations.models import DecisionCounter, PenaltyDecision, Violation

from . import identifiers as ids
from . import rows as layout
from .applications_gen import APPLICATION_COLUMNS, Applications
from .bulkwrite import Allocator, IdReserver, Table, existing
from .data import address
from .draws import DECIDED_FLAGS, LicenceSpec, VehicleSpec, licence_spec, vehicle_counts
from .draws import vehicle_spec as draw_vehicle
from .inbox import (
    ACCOUNT_SHARE_OF_DRIVERS,
    ACCOUNT_SHARE_OF_OTHERS,
    MESSAGE_COLUMNS,
    USER_COLUMNS,
    Inbox,
)
from .names import Sex, person_name
from .records import Owner, Records

_SERIALS = {
    "ordinary": ids.ordinary_serial,
    "ne_small": ids.new_energy_small_serial,
    "ne_large": ids.new_energy_large_serial,
}
# Parents first: the foreign keys are checked row by row.
ORDER = (
    Person,
    User,
    DriverLicence,
    Vehicle,
    Plate,
    VehicleLicence,
    Violation,
    PenaltyDecision,
    PointsEntry,
    PaymentOrder,
    Message,
    Application,
)


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


# The status letters depend on the dates only through "before today": one call per shape.
@lru_cache(maxsize=4096)
def _licence_status(flags: str, full: bool, lapsed: bool, overdue: bool, today: date) -> str:
    past = today - timedelta(days=1)
    return rules.licence_status(
        flags=flags,
        points=rules.FULL_SCORE if full else 0,
        valid_to=past if lapsed else None,
        verification_due=past if overdue else None,
        today=today,
    )


@lru_cache(maxsize=256)
def _vehicle_status(flags: str, overdue: bool, today: date) -> str:
    return rules.vehicle_status(
        flags=flags,
        inspection_valid_until=today - timedelta(days=1 if overdue else -1),
        today=today,
    )


class Batch:
    def __init__(
        self,
        *,
        rng: random.Random,
        today: date,
        now: datetime,
        regions: list[str],
        city: str,
        prefix: str,
        decision_prefix: str,
        records: Records,
        inbox: Inbox,
        applications: Applications,
    ) -> None:
        self.rng, self.today, self.now = rng, today, now
        self.regions, self.city, self.prefix = regions, city, prefix
        self.decision_prefix = decision_prefix
        self.records, self.inbox, self.applications = records, inbox, applications
        self.purposes = {name: _purpose(name) for name in ("id_number", "phone", "address")}
        self._hashes: dict[str, str] = {}
        reserve = ids.DEMO_RESERVE
        self.people_ids = Allocator(
            start=reserve + Person.objects.count(),
            make=lambda k, _: ids.id_number(k, self.regions),
            taken=self._ids_taken,
        )
        self.licence_numbers = Allocator(
            start=reserve + DriverLicence.objects.count(),
            make=lambda k, _: ids.licence_file_number(k, self.regions[0]),
            taken=lambda values: existing(DriverLicence, "file_number", values),
        )
        self.vins = Allocator(
            start=reserve + Vehicle.objects.count(),
            make=lambda k, v: ids.vin(k, wmi=v.model.wmi, vds=v.model.vds, year=v.year),
            taken=lambda values: existing(Vehicle, "vin", values),
        )
        self.plates = {
            kind: Allocator(
                start=reserve + _plates_of_kind(kind).count(),
                make=lambda k, _, serial=serial: self.prefix + serial(k),  # type: ignore[misc]
                taken=lambda values: existing(Plate, "number", values, where="status = 'active'"),
            )
            for kind, serial in _SERIALS.items()
        }
        self.record_ids = Allocator(
            start=reserve + Violation.objects.count(),
            make=lambda k, _: f"6523{k:016d}",
            taken=lambda values: existing(Violation, "record_id", values),
        )
        # Orders: PO + the day paid + 10 digits; the generator's start with 9, from a counter.
        self.order_refs = Allocator(
            start=PaymentOrder.objects.count(),
            make=lambda k, day: f"PO{day:%Y%m%d}9{k % 10**9:09d}",
            taken=lambda values: existing(PaymentOrder, "reference", values),
        )
        self.txn_ids = Allocator(
            start=PaymentOrder.objects.count(),
            make=lambda k, day: f"{day:%Y%m%d}2200{k % 10**14:014d}",
            taken=lambda values: existing(PaymentOrder, "gateway_txn_id", values),
        )
        self.pk = {
            model: IdReserver(model)
            for model in (Person, User, DriverLicence, Vehicle, Violation, PenaltyDecision)
        }
        self.tables = {
            Person: Table(Person, layout.PERSON_COLUMNS),
            User: Table(User, USER_COLUMNS),
            DriverLicence: Table(DriverLicence, layout.LICENCE_COLUMNS),
            Vehicle: Table(Vehicle, layout.VEHICLE_COLUMNS),
            Plate: Table(Plate, layout.PLATE_COLUMNS),
            VehicleLicence: Table(VehicleLicence, layout.VEHICLE_LICENCE_COLUMNS),
            Violation: Table(Violation, layout.VIOLATION_COLUMNS),
            PenaltyDecision: Table(PenaltyDecision, layout.DECISION_COLUMNS),
            PointsEntry: Table(PointsEntry, layout.POINTS_COLUMNS),
            PaymentOrder: Table(PaymentOrder, layout.ORDER_COLUMNS),
            Message: Table(Message, MESSAGE_COLUMNS),
            Application: Table(Application, APPLICATION_COLUMNS),
        }

    def table_names(self) -> list[str]:
        return [model._meta.db_table for model in ORDER]

    def _ids_taken(self, numbers: list[str]) -> set[str]:
        by_hash = {id_lookup_hash(n): n for n in numbers}
        taken = {by_hash[h] for h in existing(Person, "id_hash", list(by_hash))}
        # Kept until the row is built, so each number is hashed once.
        self._hashes.update({n: h for h, n in by_hash.items() if n not in taken})
        return taken

    def _decision_numbers(self, years: list[int]) -> list[str]:
        """Numbers from the year's counter, as handling._next_decision_number gives them: the
        counter moves past them, so a decision made later never repeats one."""
        wanted: dict[int, int] = {}
        for year in years:
            wanted[year] = wanted.get(year, 0) + 1
        first: dict[int, int] = {}
        with transaction.atomic():
            for year, n in sorted(wanted.items()):
                counter, _ = DecisionCounter.objects.select_for_update().get_or_create(year=year)
                first[year] = counter.last + 1
                counter.last += n
                counter.save(update_fields=["last"])
        numbers = []
        for year in years:
            numbers.append(f"{self.decision_prefix}{year}{first[year]:08d}")
            first[year] += 1
        taken = existing(PenaltyDecision, "number", numbers)
        if taken:  # written past the counter by something else: take fresh ones for those
            fresh = iter(self._decision_numbers([int(n[4:8]) for n in numbers if n in taken]))
            numbers = [next(fresh) if n in taken else n for n in numbers]
        return numbers

    # --- The batch ---------------------------------------------------------------------------

    def run(self, size: int) -> dict[str, int]:
        rng, today = self.rng, self.today
        people = self.people_ids.take([None] * size)
        persons: list[tuple[Any, ...]] = []
        licences: list[LicenceSpec] = []
        vehicles: list[VehicleSpec] = []
        accounts: list[int] = []  # person indexes with an account
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
            licence = licence_spec(rng, today, i, birth)
            adult = today.year - birth.year > 18
            if licence is None:
                if adult and rng.random() < ACCOUNT_SHARE_OF_OTHERS:
                    accounts.append(i)
                continue
            if rng.random() < ACCOUNT_SHARE_OF_DRIVERS:
                accounts.append(i)
            licences.append(licence)
            for _n in range(vehicle_counts(rng)):
                vehicles.append(draw_vehicle(rng, today, i, len(licences) - 1))
        drawn = self.records.draw(licences, vehicles)
        return self._write(persons, licences, vehicles, accounts, drawn)

    def _write(
        self,
        persons: list[tuple[Any, ...]],
        licences: list[LicenceSpec],
        vehicles: list[VehicleSpec],
        accounts: list[int],
        drawn: list[tuple[Any, ...]],
    ) -> dict[str, int]:
        today, now, enc, t = self.today, self.now, crypto.encrypt, self.tables
        file_numbers = self.licence_numbers.count(len(licences))
        vins = self.vins.values(vehicles)
        plates: list[str] = [""] * len(vehicles)
        for kind, allocator in self.plates.items():
            wanted = [i for i, v in enumerate(vehicles) if v.model.plate_kind == kind]
            for i, number in zip(wanted, allocator.count(len(wanted)), strict=True):
                plates[i] = number
        person_pk = self.pk[Person].take(len(persons))
        user_pk = self.pk[User].take(len(accounts))
        licence_pk = self.pk[DriverLicence].take(len(licences))
        vehicle_pk = self.pk[Vehicle].take(len(vehicles))
        account_of = dict(zip(accounts, user_pk, strict=True))
        owners = [
            Owner(
                vehicle_pk=vehicle_pk[i],
                person_pk=person_pk[v.owner],
                plate=plates[i],
                plate_type=v.model.plate_type,
                licence_pk=licence_pk[v.licence],
                user_pk=account_of.get(v.owner),
            )
            for i, v in enumerate(vehicles)
        ]
        handled = [d for d in drawn if d[3]]
        paid_online = [d[5] for d in drawn if d[5] is not None and owners[d[0]].user_pk]
        out: dict[str, list[tuple[Any, ...]]] = {
            "violations": [],
            "decisions": [],
            "points": [],
            "orders": [],
        }
        self.records.rows(
            drawn,
            owners,
            record_ids=self.record_ids.count(len(drawn)),
            violation_pks=self.pk[Violation].take(len(drawn)),
            decision_pks=self.pk[PenaltyDecision].take(len(handled)),
            numbers=self._decision_numbers([d[4].year for d in handled]),
            order_refs=self.order_refs.values(paid_online),
            txn_ids=self.txn_ids.values(paid_online),
            out=out,
        )
        for pk, (number, name, birth, sex, region, phone, addr) in zip(
            person_pk, persons, strict=True
        ):
            t[Person].add(
                pk,
                name,
                enc(number, purpose=self.purposes["id_number"]),
                self._hashes.pop(number, None) or id_lookup_hash(number),
                birth,
                sex,
                region,
                enc(phone, purpose=self.purposes["phone"]),
                phone_lookup_hash(phone),
                "",
                enc(addr, purpose=self.purposes["address"]),
                now,
            )
        for index, pk in account_of.items():
            joined = now - timedelta(days=int(self.rng.random() * 1800) + 1)
            t[User].add(*self.inbox.user_row(pk, person_pk[index], joined))
        unhandled = {d[0] for d in drawn if not d[3]}
        for i, (pk, spec) in enumerate(zip(vehicle_pk, vehicles, strict=True)):
            flags = "".join(sorted(spec.flags | ({"G"} if i in unhandled else set())))
            status = _vehicle_status(flags, spec.inspection < today, today)
            vehicle, plate, vehicle_licence = layout.vehicle_rows(
                spec,
                pk=pk,
                owner_pk=person_pk[spec.owner],
                vin=vins[i],
                plate=plates[i],
                flags=flags,
                status=status,
                now=now,
            )
            t[Vehicle].add(*vehicle)
            t[Plate].add(*plate)
            t[VehicleLicence].add(*vehicle_licence)
        for pk, lspec, file_number in zip(licence_pk, licences, file_numbers, strict=True):
            flags = DECIDED_FLAGS.get(lspec.scenario, "")
            f = lspec.fields
            verification = f.get("verification_due")
            status = _licence_status(
                flags,
                lspec.points_now >= rules.FULL_SCORE,
                f["valid_to"] is not None and f["valid_to"] < today,
                verification is not None and verification < today,
                today,
            )
            t[DriverLicence].add(
                *layout.licence_row(
                    lspec, pk, person_pk[lspec.holder], file_number, flags, status, now
                )
            )
        for name, model in (
            ("violations", Violation),
            ("decisions", PenaltyDecision),
            ("points", PointsEntry),
            ("orders", PaymentOrder),
        ):
            t[model].rows = out[name]
        paid_by = {int(o[3]): o[7] for o in out["orders"]}
        violations = {v[0]: v for v in out["violations"]}
        messages: list[tuple[Any, ...]] = []
        self.inbox.messages(out["decisions"], violations, paid_by, messages)
        t[Message].rows = messages
        t[Application].rows = self.applications.rows(
            [(account_of[i], person_pk[i]) for i in accounts],
            licence_of={
                person_pk[ls.holder]: pk for pk, ls in zip(licence_pk, licences, strict=True)
            },
        )
        counts = {
            "people": len(persons),
            "accounts": len(accounts),
            "licences": len(licences),
            "vehicles": len(vehicles),
            "violations": len(out["violations"]),
            "decisions": len(out["decisions"]),
            "points": len(out["points"]),
            "payments": len(out["orders"]),
            "messages": len(messages),
            "applications": len(t[Application].rows),
        }
        with transaction.atomic():
            for table_model in ORDER:
                t[table_model].flush()
        return counts
