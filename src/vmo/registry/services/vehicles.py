"""Writes of vehicles: registration, status letters (one or in bulk) and dates. Each service
is one transaction and writes history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from .. import rules, validators
from ..models import (
    Company,
    Person,
    Plate,
    Vehicle,
    VehicleLicence,
)

if TYPE_CHECKING:
    from vmo.accounts.models import User

from ._flags import _changed_flags, status_store


def _apply_vehicle_status(*, vehicle: Vehicle, actor: User | None, reason: str) -> Vehicle:
    status = rules.vehicle_status(
        flags=vehicle.flags,
        inspection_valid_until=vehicle.inspection_valid_until,
        today=clock.today(),
    )
    status_store(record=vehicle, status=status, action="vehicle.status", actor=actor, reason=reason)
    return vehicle


@transaction.atomic
def vehicle_recompute_status(
    *, vehicle: Vehicle, actor: User | None = None, reason: str = ""
) -> Vehicle:
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    return _apply_vehicle_status(vehicle=vehicle, actor=actor, reason=reason)


@transaction.atomic
def vehicle_set_flags(
    *, vehicle: Vehicle, actor: User | None, add: str = "", remove: str = "", reason: str
) -> Vehicle:
    """Set or clear decided letters, e.g. G when a violation arrives or is cleared."""
    if not reason:
        raise ValidationError(
            _("A reason is required to change a vehicle's status."), code="reason_required"
        )
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    vehicle.flags = _changed_flags(
        vehicle.flags, add=add, remove=remove, derived=rules.VEHICLE_DERIVED
    )
    return _apply_vehicle_status(vehicle=vehicle, actor=actor, reason=reason)


@transaction.atomic
def vehicle_create(
    *,
    actor: User | None,
    vin: str,
    vehicle_type: str,
    use_nature: str,
    brand: str,
    model_name: str,
    colour: str,
    engine_number: str,
    manufacture_date: date,
    registration_date: date,
    inspection_valid_until: date,
    plate_number: str,
    plate_type: str,
    owner_person: Person | None = None,
    owner_company: Company | None = None,
    insurance_valid_until: date | None = None,
    seats: int = 5,
    new_energy: bool = False,
    file_number: str = "",
) -> Vehicle:
    """Put a registered vehicle on record with its plate and vehicle licence."""
    vehicle = Vehicle(
        vin=vin.strip().upper(),
        vehicle_type=vehicle_type,
        use_nature=use_nature,
        brand=brand,
        model_name=model_name,
        colour=colour,
        engine_number=engine_number,
        seats=seats,
        new_energy=new_energy,
        manufacture_date=manufacture_date,
        registration_date=registration_date,
        owner_person=owner_person,
        owner_company=owner_company,
        inspection_valid_until=inspection_valid_until,
        insurance_valid_until=insurance_valid_until,
    )
    vehicle.full_clean()
    vehicle.save()
    plate = Plate(
        number=validators.normalise_plate(plate_number),
        plate_type=plate_type,
        vehicle=vehicle,
        issued_on=registration_date,
    )
    plate.full_clean(exclude=["vehicle"])
    plate.save()
    VehicleLicence.objects.create(
        vehicle=vehicle, file_number=file_number or vehicle.vin[-12:], issued_on=registration_date
    )
    event_record(
        actor=actor,
        subject=vehicle,
        action="vehicle.create",
        after={"plate": plate.number, "vin": vehicle.vin},
    )
    return _apply_vehicle_status(vehicle=vehicle, actor=actor, reason="registered")


# Vehicles per SQL batch of vehicles_add_flag_bulk: one lock-and-read query, a few updates and
# one summary event each. Small enough for SQLite's limit on query parameters.
VEHICLE_FLAG_BATCH = 2000


@transaction.atomic
def vehicles_add_flag_bulk(
    *,
    vehicle_ids: Iterable[int],
    letter: str,
    reason: str,
    subject: models.Model,
    actor: User | None = None,
) -> int:
    """Add a decided letter to many vehicles at once (e.g. G for a camera-record delivery) and
    re-derive their status with the same rules as vehicle_set_flags. Returns vehicles changed.

    History is one summary event per batch of vehicles, on `subject` (the cause, e.g. the
    IntakeBatch), listing the vehicles it changed: one event per vehicle would double the rows
    written by a million-record delivery. A vehicle's own history therefore shows the letter
    through its records (each names its batch) and this summary, not a per-vehicle event.
    """
    if not reason:
        raise ValidationError(
            _("A reason is required to change a vehicle's status."), code="reason_required"
        )
    if len(letter) != 1 or letter in rules.VEHICLE_DERIVED:
        raise ValidationError(
            _("Status letters %(letters)s follow from the facts and cannot be set.")
            % {"letters": letter}
        )
    ids = sorted(set(vehicle_ids))
    today, now, changed = clock.today(), clock.now(), 0
    # The status depends on the flags and on whether the inspection is overdue: a handful of
    # combinations, each derived once with the rules.
    statuses: dict[tuple[str, bool], str] = {}
    for start in range(0, len(ids), VEHICLE_FLAG_BATCH):
        part = ids[start : start + VEHICLE_FLAG_BATCH]
        # Locked in id order, so two deliveries never deadlock; "no key" because only status
        # columns change, so inserts that point at the vehicle (its violations) need not wait.
        rows = (
            Vehicle.objects.select_for_update(no_key=True)
            .filter(pk__in=part)
            .exclude(flags__contains=letter)
            .order_by("pk")
            .values_list("pk", "flags", "inspection_valid_until")
        )
        groups: dict[tuple[str, str], list[int]] = {}
        for pk, flags, inspection in rows:
            new_flags = "".join(sorted(set(flags) | {letter}))
            key = (new_flags, inspection < today)
            if key not in statuses:
                statuses[key] = rules.vehicle_status(
                    flags=new_flags, inspection_valid_until=inspection, today=today
                )
            groups.setdefault((new_flags, statuses[key]), []).append(pk)
        # Few distinct (flags, status) pairs: one UPDATE each instead of one per vehicle.
        for (new_flags, status), pks in groups.items():
            Vehicle.objects.filter(pk__in=pks).update(
                flags=new_flags, status=status, updated_at=now
            )
        done = [pk for pks in groups.values() for pk in pks]
        if done:
            event_record(
                actor=actor,
                subject=subject,
                action="vehicles.flag_bulk",
                after={"letter": letter, "count": len(done), "vehicle_ids": sorted(done)},
                reason=reason,
            )
        changed += len(done)
    return changed


VEHICLE_DATES = ("inspection_valid_until", "insurance_valid_until")


@transaction.atomic
def vehicle_update_dates(
    *, vehicle: Vehicle, actor: User | None, reason: str, **changes: date | None
) -> Vehicle:
    """Change a vehicle's inspection or insurance validity, with the history, then re-derive
    its status (an inspection passed clears the overdue letter)."""
    unknown = set(changes) - set(VEHICLE_DATES)
    if unknown:
        raise ValueError(f"not a vehicle date: {sorted(unknown)}")
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = {name: str(getattr(vehicle, name)) for name in changes}
    for name, value in changes.items():
        setattr(vehicle, name, value)
    vehicle.save()
    event_record(
        actor=actor,
        subject=vehicle,
        action="vehicle.dates",
        before=before,
        after={name: str(value) for name, value in changes.items()},
        reason=reason,
    )
    return _apply_vehicle_status(vehicle=vehicle, actor=actor, reason=reason)
