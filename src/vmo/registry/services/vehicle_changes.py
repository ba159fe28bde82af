"""The changes of a registered vehicle: plates and vehicle licence reissued, alterations,
transfer, mortgage and cancellation. Each service is one transaction and writes history."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from vmo.core import clock
from vmo.core.services import event_record

from ..choices import PlateStatus, VehicleStatus
from ..models import (
    PastOwner,
    Person,
    Plate,
    Vehicle,
    VehicleLicence,
)

if TYPE_CHECKING:
    from vmo.accounts.models import User

from .vehicles import vehicle_set_flags


@transaction.atomic
def plate_reissue(*, vehicle: Vehicle, actor: User | None, reason: str) -> Plate:
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
def vehicle_licence_reissue(*, vehicle: Vehicle, actor: User | None, reason: str) -> VehicleLicence:
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
def vehicle_alter(*, vehicle: Vehicle, actor: User | None, reason: str, **changes: str) -> Vehicle:
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
    *, vehicle: Vehicle, actor: User | None, reason: str, new_owner: Person, on: date
) -> Vehicle:
    """Transfer registration (R164 Arts 25-30): the owner changes, the history keeps both, and
    the owner it ended is kept with the moment (`PastOwner`): a record of an offence from before
    it, however late it arrives, is that owner's (RTSL Art 114)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    before = {"owner_person": vehicle.owner_person_id, "owner_company": vehicle.owner_company_id}
    PastOwner.objects.create(
        vehicle=vehicle,
        owner_person_id=vehicle.owner_person_id,
        owner_company_id=vehicle.owner_company_id,
        until=clock.now(),
    )
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
    *, vehicle: Vehicle, actor: User | None, reason: str, mortgagee: str, on: date | None
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
def vehicle_cancel(*, vehicle: Vehicle, actor: User | None, reason: str) -> Vehicle:
    """Cancellation (R164 Art 37): status E, plates and vehicle licence void."""
    Plate.objects.filter(vehicle=vehicle, status=PlateStatus.ACTIVE).update(status=PlateStatus.VOID)
    VehicleLicence.objects.filter(vehicle=vehicle, is_valid=True).update(is_valid=False)
    event_record(actor=actor, subject=vehicle, action="vehicle.cancel", reason=reason)
    return vehicle_set_flags(
        vehicle=vehicle, actor=actor, add=VehicleStatus.CANCELLED, reason=reason
    )


@transaction.atomic
def vehicle_scrap_void(*, vehicle: Vehicle, actor: User | None, reason: str) -> Vehicle:
    """The owner of a vehicle at the compulsory scrapping standard did not cancel in time: the
    office announces its registration certificate, plates and vehicle licence void (R164 Art
    41(1)). Status P; the plates and the vehicle licence are void on the record, and the history
    names which. The registration itself is not cancelled here (that is Art 40, status M, once the
    vehicle is collected and scrapped)."""
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    plates = list(
        Plate.objects.filter(vehicle=vehicle, status=PlateStatus.ACTIVE).values_list("pk", "number")
    )
    licences = list(
        VehicleLicence.objects.filter(vehicle=vehicle, is_valid=True).values_list(
            "pk", "file_number"
        )
    )
    Plate.objects.filter(pk__in=[pk for pk, _number in plates]).update(status=PlateStatus.VOID)
    VehicleLicence.objects.filter(pk__in=[pk for pk, _number in licences]).update(is_valid=False)
    event_record(
        actor=actor,
        subject=vehicle,
        action="vehicle.scrap_void",
        before={
            "plates": [number for _pk, number in plates],
            "vehicle_licences": [number for _pk, number in licences],
        },
        after={"plates": PlateStatus.VOID.value, "vehicle_licences": "void"},
        reason=reason,
    )
    return vehicle_set_flags(
        vehicle=vehicle, actor=actor, add=VehicleStatus.SCRAP_VOID, reason=reason
    )
