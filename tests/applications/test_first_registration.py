"""First registration (V02) with the number reserved at pre-selection."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import OfficerFactory, make_vin
from vmo.accounts.choices import OfficerRole
from vmo.plates.pool import pool_batch_load
from vmo.plates.services import reservation_create
from vmo.registry.models import Vehicle

from .conftest import verified
from .helpers import problems, run

pytestmark = pytest.mark.django_db

VIN = make_vin(90001)


def _reserve(user, number="新BD2345"):
    admin = verified(OfficerFactory(role=OfficerRole.ADMINISTRATOR))
    pool_batch_load(actor=admin, plate_type="02", text=f"{number}\n新BD2346\n")
    return reservation_create(
        actor=user, number=number, vin=VIN, model_name="朗逸", plate_type="02"
    )


def _data(**overrides):
    data = {
        "vin": VIN,
        "vehicle_type": "K33",
        "use_nature": "A",
        "brand": "大众",
        "model_name": "朗逸",
        "colour": "A",
        "engine_number": "EA211123",
        "manufacture_date": "2026-10-01",
        "seats": "5",
        "insurance_valid_until": "2027-11-23",
    }
    return {**data, **overrides}


def test_first_registration_binds_the_reserved_number(citizen, clerk, reviewer):
    reservation = _reserve(citizen)
    app = run(citizen, "V02", clerk, reviewer, data=_data())
    assert app.status == "completed"
    vehicle = Vehicle.objects.get(vin=VIN)
    assert vehicle.owner_person == citizen.person
    assert vehicle.plates.get(status="active").number == reservation.number
    # A new private small car: the sticker is due after 2 years (RI Art 16, 2022 reform).
    assert vehicle.inspection_valid_until == date(2028, 11, 24)
    assert vehicle.insurance_valid_until == date(2027, 11, 23)
    reservation.refresh_from_db()
    assert reservation.status == "bound"
    app.refresh_from_db()
    assert app.vehicle == vehicle and app.delivery.method == "pickup"


def test_no_registration_without_a_reservation(citizen, clerk, reviewer):
    app = run(citizen, "V02", clerk, reviewer, data=_data())
    assert "condition:number_reserved" in problems(app)


def test_an_already_registered_vin_is_refused(citizen, clerk, reviewer):
    from tests.factories import VehicleFactory

    existing = VehicleFactory()
    app = run(citizen, "V02", clerk, reviewer, data=_data(vin=existing.vin))
    assert "condition:vin_new" in problems(app)


def test_expired_insurance_is_refused(citizen, clerk, reviewer):
    _reserve(citizen)
    app = run(citizen, "V02", clerk, reviewer, data=_data(insurance_valid_until="2026-11-23"))
    assert problems(app) == {"condition:new_vehicle_data"}
