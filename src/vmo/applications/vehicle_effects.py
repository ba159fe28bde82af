"""What each vehicle business does to the records when it completes (registered by
``vmo.applications.effects``, which imports this module)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vmo.core import clock
from vmo.core.phrases import phrase as _
from vmo.registry import services as registry
from vmo.registry.inspection import next_due
from vmo.registry.rules import add_months
from vmo.violations import services as violations

from .effects import _day, _person_of, _reason, _vehicle, effect
from .models import Application

if TYPE_CHECKING:
    from vmo.accounts.models import User


@effect("V03", "V04")
def plates_reissue(application: Application, actor: User) -> str:
    plate = registry.plate_reissue(
        vehicle=_vehicle(application), actor=actor, reason=_reason(application)
    )
    return _("new plates %(number)s are made; the old plates are void.") % {"number": plate.number}


@effect("V05", "V06")
def vehicle_licence_reissue(application: Application, actor: User) -> str:
    registry.vehicle_licence_reissue(
        vehicle=_vehicle(application), actor=actor, reason=_reason(application)
    )
    return _("a new vehicle licence is issued; the old one is void.")


@effect("V07")
def sticker_reissue(application: Application, actor: User) -> str:
    vehicle = _vehicle(application)
    return _("the electronic inspection sticker is reissued, valid until %(day)s.") % {
        "day": vehicle.inspection_valid_until
    }


@effect("V08")
def exempt_sticker(application: Application, actor: User) -> str:
    vehicle = _vehicle(application)
    due = next_due(
        vehicle,
        application.submitted_at.date()
        if application.submitted_at
        else vehicle.inspection_valid_until,
    )
    registry.vehicle_update_dates(
        vehicle=vehicle, actor=actor, reason=_reason(application), inspection_valid_until=due
    )
    return _("the inspection-exempt sticker is issued; the inspection is valid until %(day)s.") % {
        "day": due
    }


@effect("V09")
def inspection_defer(application: Application, actor: User) -> str:
    until = _day(application.data["defer_until"])
    registry.vehicle_update_dates(
        vehicle=_vehicle(application),
        actor=actor,
        reason=_reason(application),
        inspection_valid_until=until,
    )
    return _("the inspection is deferred until %(day)s.") % {"day": until}


@effect("V12")
def temporary_plate(application: Application, actor: User) -> str:
    """The temporary plate on the record, by VIN; the rules are checked again under its lock."""
    from vmo.registry import temporary_plate_rules

    data = application.data
    holder = _person_of(application.applicant)
    company = temporary_plate_rules.company_acted_for(
        holder, str(data.get("company_uscc", "")), clock.today()
    )
    plate = registry.temporary_plate_issue(
        actor=actor,
        vin=data["vin"],
        case=data["temp_case"],
        valid_from=_day(data["valid_from"]),
        valid_to=_day(data["valid_to"]),
        insurance_valid_until=_day(data["insurance_valid_until"]),
        holder_person=holder,
        holder_company=company,
        application_reference=application.reference,
        reason=_reason(application),
    )
    return _("temporary plate %(number)s is issued, valid from %(start)s to %(end)s.") % {
        "number": plate.display,
        "start": plate.valid_from,
        "end": plate.valid_to,
    }


@effect("V13")
def vehicle_alteration(application: Application, actor: User) -> str:
    data = application.data
    kind = data["alteration"]
    changes = {}
    if kind == "colour":
        changes["colour"] = data["new_colour"]
    elif kind == "engine":
        changes["engine_number"] = data["new_engine_number"]
    registry.vehicle_alter(
        vehicle=_vehicle(application),
        actor=actor,
        reason=f"{_reason(application)} {kind}",
        **changes,
    )
    registry.vehicle_licence_reissue(
        vehicle=_vehicle(application), actor=actor, reason=_reason(application)
    )
    return _("the change is registered and a new vehicle licence issued.")


@effect("V14")
def vehicle_transfer(application: Application, actor: User) -> str:
    from . import notify

    seller = application.applicant
    buyer = application.counterparty
    registry.vehicle_transfer(
        vehicle=_vehicle(application),
        actor=actor,
        reason=_reason(application),
        new_owner=_person_of(buyer),
        on=clock.today(),
    )
    violations.bindings_end_on_transfer(vehicle=_vehicle(application), actor=actor)
    registry.vehicle_licence_reissue(
        vehicle=_vehicle(application), actor=actor, reason=_reason(application)
    )
    names = {"seller": _person_of(seller).name, "buyer": _person_of(buyer).name}
    for user in (seller, buyer):
        notify.vehicle_event(application, "vehicle.transferred", user, **names)
    return _("the vehicle is registered to %(buyer)s.") % {"buyer": names["buyer"]}


@effect("V15")
def vehicle_mortgage(application: Application, actor: User) -> str:
    from . import notify

    lender = application.data["lender_name"]
    registry.vehicle_mortgage(
        vehicle=_vehicle(application),
        actor=actor,
        reason=_reason(application),
        mortgagee=lender,
        on=clock.today(),
    )
    notify.vehicle_event(application, "vehicle.mortgaged", application.applicant, lender=lender)
    return _("the mortgage to %(lender)s is registered.") % {"lender": lender}


@effect("V16")
def vehicle_mortgage_release(application: Application, actor: User) -> str:
    from . import notify

    registry.vehicle_mortgage(
        vehicle=_vehicle(application),
        actor=actor,
        reason=_reason(application),
        mortgagee="",
        on=None,
    )
    notify.vehicle_event(application, "vehicle.mortgage_released", application.applicant)
    return _("the mortgage is released.")


@effect("V17")
def vehicle_cancellation(application: Application, actor: User) -> str:
    from . import notify

    registry.vehicle_cancel(
        vehicle=_vehicle(application),
        actor=actor,
        reason=f"{_reason(application)} {application.data['cancel_reason']}",
    )
    notify.vehicle_event(application, "vehicle.cancelled", application.applicant)
    return _("the registration is cancelled; plates and vehicle licence are void.")


@effect("V02")
def first_registration(application: Application, actor: User) -> str:
    """The vehicle, its plate from the reserved number, its licence and first inspection date."""
    from types import SimpleNamespace

    from vmo.plates.selectors import active_reservation_for_vin
    from vmo.plates.services import reservation_bind
    from vmo.registry.inspection import interval_months

    data = application.data
    vin = data["vin"].strip().upper()
    reservation = active_reservation_for_vin(vin)
    if reservation is None:  # checked on submission; released since only by an officer's error
        raise RuntimeError(f"{application.reference}: no reservation for {vin}")
    today = clock.today()
    # The first inspection: the vehicle's period from the registration date (RI Art 16).
    shape = SimpleNamespace(
        vehicle_type=data["vehicle_type"],
        use_nature=data["use_nature"],
        seats=int(data["seats"]),
        registration_date=today,
    )
    vehicle = registry.vehicle_create(
        actor=actor,
        vin=vin,
        vehicle_type=data["vehicle_type"],
        use_nature=data["use_nature"],
        brand=data["brand"],
        model_name=data["model_name"],
        colour=data["colour"],
        engine_number=data["engine_number"],
        manufacture_date=_day(data["manufacture_date"]),
        registration_date=today,
        inspection_valid_until=add_months(today, interval_months(shape, today)),
        insurance_valid_until=_day(data["insurance_valid_until"]),
        plate_number=reservation.number,
        plate_type=reservation.plate_type,
        owner_person=application.person,
        owner_company=reservation.company,
        seats=int(data["seats"]),
        new_energy=reservation.plate_type in ("51", "52"),
    )
    reservation_bind(reservation=reservation, actor=actor)
    application.vehicle = vehicle
    return _("vehicle %(plate)s is registered; first inspection due %(day)s.") % {
        "plate": reservation.number,
        "day": vehicle.inspection_valid_until,
    }
