"""Every write to the office's records. Each service is one transaction and writes history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.services import event_record

from . import rules, validators
from .choices import PlateStatus
from .lookup import id_lookup_hash
from .models import (
    Company,
    DriverLicence,
    FullScoreReached,
    Person,
    Plate,
    PointsEntry,
    Vehicle,
    VehicleLicence,
)

# Reads moved to selectors; these names stay importable here for callers written before.
from .selectors import licence_full_score_cycles as licence_full_score_cycles
from .selectors import points_in_cycle as points_in_cycle


@transaction.atomic
def person_create(
    *, actor: Any, name: str, id_number: str, phone: str = "", address: str = "", email: str = ""
) -> Person:
    person = Person(
        name=name.strip(),
        id_number=id_number.strip(),
        phone=phone.strip(),
        address=address,
        email=email,
    )
    person.full_clean(exclude=["id_hash", "birth_date", "sex", "region_code", "phone_hash"])
    if Person.objects.filter(id_hash=id_lookup_hash(person.id_number)).exists():
        raise ValidationError(
            {"id_number": _("A person with this ID number is already on record.")}, code="duplicate"
        )
    person.save()
    event_record(
        actor=actor,
        subject=person,
        action="person.create",
        after={"region_code": person.region_code},
    )
    return person


@transaction.atomic
def person_update_contact(
    *,
    actor: Any,
    person: Person,
    phone: str | None = None,
    address: str | None = None,
    email: str | None = None,
) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    changed = []
    for field, value in (("phone", phone), ("address", address), ("email", email)):
        if value is not None and value != getattr(person, field):
            setattr(person, field, value)
            changed.append(field)
    if not changed:
        return person
    person.full_clean(exclude=["id_hash", "birth_date", "sex", "region_code", "phone_hash"])
    person.save()
    # Which fields changed, never their values: the history must not leak personal data.
    event_record(
        actor=actor, subject=person, action="person.contact_update", after={"changed": changed}
    )
    return person


@transaction.atomic
def company_create(*, actor: Any, name: str, uscc: str, address: str = "") -> Company:
    company = Company(name=name, uscc=uscc.strip().upper(), address=address)
    company.full_clean()
    company.save()
    event_record(
        actor=actor, subject=company, action="company.create", after={"uscc": company.uscc}
    )
    return company


def _apply_licence_status(*, licence: DriverLicence, actor: Any, reason: str) -> DriverLicence:
    today = clock.today()
    status = rules.licence_status(
        flags=licence.flags,
        points=points_in_cycle(licence, on=today),
        valid_to=licence.valid_to,
        verification_due=licence.verification_due,
        today=today,
    )
    if status != licence.status:
        before = licence.status
        licence.status = status
        licence.save(update_fields=["status", "flags", "updated_at"])
        event_record(
            actor=actor,
            subject=licence,
            action="licence.status",
            before={"status": before},
            after={"status": status},
            reason=reason,
        )
    return licence


def _changed_flags(current: str, *, add: str, remove: str, derived: frozenset[str]) -> str:
    """The decided letters after a change; letters derived from facts cannot be set by hand."""
    bad = set(add + remove) & derived
    if bad:
        raise ValidationError(
            _("Status letters %(letters)s follow from the facts and cannot be set.")
            % {"letters": "".join(sorted(bad))}
        )
    return "".join(sorted((set(current) | set(add)) - set(remove)))


@transaction.atomic
def licence_recompute_status(
    *, licence: DriverLicence, actor: Any = None, reason: str = ""
) -> DriverLicence:
    """The one place a licence's status letters are derived from its facts."""
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    return _apply_licence_status(licence=licence, actor=actor, reason=reason)


@transaction.atomic
def licence_set_flags(
    *, licence: DriverLicence, actor: Any, add: str = "", remove: str = "", reason: str
) -> DriverLicence:
    if not reason:
        raise ValidationError(
            _("A reason is required to change a licence's status."), code="reason_required"
        )
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    licence.flags = _changed_flags(
        licence.flags, add=add, remove=remove, derived=rules.LICENCE_DERIVED
    )
    return _apply_licence_status(licence=licence, actor=actor, reason=reason)


@transaction.atomic
def licence_create(
    *,
    actor: Any,
    holder: Person,
    file_number: str,
    classes: str,
    first_issue_date: date,
    valid_from: date,
    valid_to: date | None,
    probation_until: date | None = None,
    verification_due: date | None = None,
    physical_due: date | None = None,
) -> DriverLicence:
    licence = DriverLicence(
        holder=holder,
        file_number=file_number,
        classes=classes,
        first_issue_date=first_issue_date,
        valid_from=valid_from,
        valid_to=valid_to,
        probation_until=probation_until,
        verification_due=verification_due,
        physical_due=physical_due,
    )
    licence.full_clean()
    licence.save()
    event_record(actor=actor, subject=licence, action="licence.create", after={"classes": classes})
    return _apply_licence_status(licence=licence, actor=actor, reason="issued")


@transaction.atomic
def points_record(
    *,
    licence: DriverLicence,
    actor: Any,
    points: int,
    kind: str,
    occurred_on: date,
    source_type: str = "",
    source_id: str = "",
    note: str = "",
) -> PointsEntry:
    """Append to the points ledger in the cycle of the date, then re-derive the status."""
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    entry = PointsEntry.objects.create(
        licence=licence,
        cycle_start=rules.cycle_start(licence.first_issue_date, occurred_on),
        occurred_on=occurred_on,
        points=points,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        note=note,
    )
    event_record(
        actor=actor,
        subject=licence,
        action="points.record",
        after={"points": points, "kind": kind, "source": f"{source_type}:{source_id}"},
    )
    if points > 0:
        _full_score_note(licence=licence, entry=entry, actor=actor)
    _apply_licence_status(licence=licence, actor=actor, reason=f"points {points:+d}")
    return entry


def _full_score_note(*, licence: DriverLicence, entry: PointsEntry, actor: Any) -> None:
    """Record the full score the entry completes: the cycle's total crossed 12 (R163 Art 17).
    After the exam clears the points (Art 23) the total starts again from zero, so a second
    crossing is the cycle's second full score (Art 22)."""
    total = int(
        PointsEntry.objects.filter(licence=licence, cycle_start=entry.cycle_start).aggregate(
            total=Sum("points")
        )["total"]
        or 0
    )
    if not total - entry.points < rules.FULL_SCORE <= total:
        return
    occurrence = (
        FullScoreReached.objects.filter(licence=licence, cycle_start=entry.cycle_start).count() + 1
    )
    reached = FullScoreReached.objects.create(
        licence=licence,
        cycle_start=entry.cycle_start,
        occurrence=occurrence,
        reached_on=entry.occurred_on,
        points=total,
    )
    event_record(
        actor=actor,
        subject=licence,
        action="points.full_score",
        after={"cycle_start": str(reached.cycle_start), "occurrence": occurrence},
        reason="R163 Art 17",
    )


def _apply_vehicle_status(*, vehicle: Vehicle, actor: Any, reason: str) -> Vehicle:
    status = rules.vehicle_status(
        flags=vehicle.flags,
        inspection_valid_until=vehicle.inspection_valid_until,
        today=clock.today(),
    )
    if status != vehicle.status:
        before = vehicle.status
        vehicle.status = status
        vehicle.save(update_fields=["status", "flags", "updated_at"])
        event_record(
            actor=actor,
            subject=vehicle,
            action="vehicle.status",
            before={"status": before},
            after={"status": status},
            reason=reason,
        )
    return vehicle


@transaction.atomic
def vehicle_recompute_status(*, vehicle: Vehicle, actor: Any = None, reason: str = "") -> Vehicle:
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    return _apply_vehicle_status(vehicle=vehicle, actor=actor, reason=reason)


@transaction.atomic
def vehicle_set_flags(
    *, vehicle: Vehicle, actor: Any, add: str = "", remove: str = "", reason: str
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
    actor: Any,
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
    actor: Any = None,
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


LICENCE_DATES = ("valid_from", "valid_to", "verification_due", "physical_due", "probation_until")


@transaction.atomic
def licence_update_dates(
    *, licence: DriverLicence, actor: Any, reason: str, **changes: date | None
) -> DriverLicence:
    """Change a licence's validity or due dates (a renewal, a deferral, a proof submitted),
    with the history of before and after, then re-derive its status."""
    unknown = set(changes) - set(LICENCE_DATES)
    if unknown:
        raise ValueError(f"not a licence date: {sorted(unknown)}")
    licence = DriverLicence.objects.select_for_update().get(pk=licence.pk)
    before = {name: str(getattr(licence, name)) for name in changes}
    for name, value in changes.items():
        setattr(licence, name, value)
    licence.full_clean(exclude=["holder"])
    licence.save()
    event_record(
        actor=actor,
        subject=licence,
        action="licence.dates",
        before=before,
        after={name: str(value) for name, value in changes.items()},
        reason=reason,
    )
    return _apply_licence_status(licence=licence, actor=actor, reason=reason)


@transaction.atomic
def licence_reissue(*, licence: DriverLicence, actor: Any, reason: str) -> DriverLicence:
    """A new card for the same licence (replacement, exchange): the old card is void."""
    event_record(actor=actor, subject=licence, action="licence.reissue", reason=reason)
    return licence


VEHICLE_DATES = ("inspection_valid_until", "insurance_valid_until")


@transaction.atomic
def vehicle_update_dates(
    *, vehicle: Vehicle, actor: Any, reason: str, **changes: date | None
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


@transaction.atomic
def plate_reissue(*, vehicle: Vehicle, actor: Any, reason: str) -> Plate:
    """New plates with the same number (R164 Art 51): the old pair is void."""
    old = Plate.objects.select_for_update().get(vehicle=vehicle, status=PlateStatus.ACTIVE)
    old.status = PlateStatus.VOID
    old.save(update_fields=["status"])
    new = Plate.objects.create(
        number=old.number, plate_type=old.plate_type, vehicle=vehicle, issued_on=clock.today()
    )
    event_record(
        actor=actor,
        subject=vehicle,
        action="plate.reissue",
        before={"plate": old.pk},
        after={"plate": new.pk, "number": new.number},
        reason=reason,
    )
    return new


@transaction.atomic
def vehicle_licence_reissue(*, vehicle: Vehicle, actor: Any, reason: str) -> VehicleLicence:
    """A new vehicle licence (R164 Art 52): the old one is void."""
    old = (
        VehicleLicence.objects.select_for_update()
        .filter(vehicle=vehicle, is_valid=True)
        .order_by("-issued_on", "-id")
        .first()
    )
    if old is not None:
        VehicleLicence.objects.filter(vehicle=vehicle, is_valid=True).update(is_valid=False)
    new = VehicleLicence.objects.create(
        vehicle=vehicle,
        file_number=old.file_number if old else vehicle.vin[-12:],
        issued_on=clock.today(),
    )
    event_record(
        actor=actor,
        subject=vehicle,
        action="vehicle_licence.reissue",
        before={"vehicle_licence": old.pk if old else None},
        after={"vehicle_licence": new.pk},
        reason=reason,
    )
    return new


VEHICLE_ALTERABLE = ("colour", "engine_number")


@transaction.atomic
def vehicle_alter(*, vehicle: Vehicle, actor: Any, reason: str, **changes: str) -> Vehicle:
    """Alteration registration (R164 Art 16): colour or engine; body changes are recorded in the
    history only, the register having no body field [U]."""
    unknown = set(changes) - set(VEHICLE_ALTERABLE)
    if unknown:
        raise ValueError(f"not alterable: {sorted(unknown)}")
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = {name: getattr(vehicle, name) for name in changes}
    for name, value in changes.items():
        setattr(vehicle, name, value)
    vehicle.full_clean(exclude=["owner_person", "owner_company"])
    vehicle.save()
    event_record(
        actor=actor,
        subject=vehicle,
        action="vehicle.alter",
        before=before,
        after=dict(changes),
        reason=reason,
    )
    return vehicle


@transaction.atomic
def vehicle_transfer(
    *, vehicle: Vehicle, actor: Any, reason: str, new_owner: Person, on: date
) -> Vehicle:
    """Transfer registration (R164 Arts 25-30): the owner changes, the history keeps both."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = {"owner_person": vehicle.owner_person_id, "owner_company": vehicle.owner_company_id}
    vehicle.owner_person = new_owner
    vehicle.owner_company = None
    vehicle.save(update_fields=["owner_person", "owner_company", "updated_at"])
    event_record(
        actor=actor,
        subject=vehicle,
        action="vehicle.transfer",
        before=before,
        after={"owner_person": new_owner.pk, "on": str(on)},
        reason=reason,
    )
    return vehicle


@transaction.atomic
def vehicle_mortgage(
    *, vehicle: Vehicle, actor: Any, reason: str, mortgagee: str, on: date | None
) -> Vehicle:
    """Mortgage registration (R164 Art 31) with the lender's name, or its release (empty name)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = {"mortgagee": vehicle.mortgagee, "mortgaged_on": str(vehicle.mortgaged_on)}
    vehicle.mortgagee = mortgagee
    vehicle.mortgaged_on = on if mortgagee else None
    vehicle.save(update_fields=["mortgagee", "mortgaged_on", "updated_at"])
    event_record(
        actor=actor,
        subject=vehicle,
        action="vehicle.mortgage" if mortgagee else "vehicle.mortgage_release",
        before=before,
        after={"mortgagee": mortgagee, "mortgaged_on": str(vehicle.mortgaged_on)},
        reason=reason,
    )
    return vehicle


@transaction.atomic
def vehicle_cancel(*, vehicle: Vehicle, actor: Any, reason: str) -> Vehicle:
    """Cancellation (R164 Art 37): status E, plates and vehicle licence void."""
    Plate.objects.filter(vehicle=vehicle, status=PlateStatus.ACTIVE).update(status=PlateStatus.VOID)
    VehicleLicence.objects.filter(vehicle=vehicle, is_valid=True).update(is_valid=False)
    event_record(actor=actor, subject=vehicle, action="vehicle.cancel", reason=reason)
    return vehicle_set_flags(vehicle=vehicle, actor=actor, add="E", reason=reason)
