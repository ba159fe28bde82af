"""Each vehicle document business: its conditions at their edges and its effect."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import VehicleFactory
from tests.violations.online_factories import camera_violation
from vmo.registry import services as registry
from vmo.registry.models import Plate, VehicleLicence

from .helpers import problems, run

pytestmark = pytest.mark.django_db


def vehicle(user, **kwargs):
    return VehicleFactory(owner_person=user.person, **kwargs)


def test_plate_replacement_voids_the_old_pair(citizen, clerk, reviewer):
    car = vehicle(citizen)
    old = Plate.objects.get(vehicle=car)
    app = run(citizen, "V03", clerk, reviewer, data={"loss_reason": "lost"}, vehicle_id=car.pk)
    assert app.status == "completed"
    old.refresh_from_db()
    new = Plate.objects.get(vehicle=car, status="active")
    assert old.status == "void" and new.number == old.number and new.pk != old.pk
    assert app.fee_fen == 10000 and app.paid_at is not None


def test_plate_exchange_needs_the_photo_of_the_damage(citizen, clerk, reviewer):
    car = vehicle(citizen)
    app = run(citizen, "V04", clerk, reviewer, vehicle_id=car.pk)
    assert app.status == "completed"


def test_vehicle_licence_replacement(citizen, clerk, reviewer):
    car = vehicle(citizen)
    run(citizen, "V05", clerk, reviewer, data={"loss_reason": "lost"}, vehicle_id=car.pk)
    assert VehicleLicence.objects.filter(vehicle=car, is_valid=True).count() == 1
    assert VehicleLicence.objects.filter(vehicle=car, is_valid=False).count() == 1


def test_no_business_for_a_cancelled_vehicle(citizen, clerk, reviewer):
    car = vehicle(citizen)
    registry.vehicle_set_flags(vehicle=car, actor=None, add="E", reason="cancelled")
    app = run(citizen, "V06", clerk, reviewer, vehicle_id=car.pk)
    assert "condition:vehicle_active" in problems(app)


def test_someone_elses_vehicle_is_not_found(citizen, clerk, reviewer):
    from django.http import Http404

    other = VehicleFactory()
    with pytest.raises(Http404):
        run(citizen, "V05", clerk, reviewer, vehicle_id=other.pk)


def test_sticker_replacement_needs_valid_insurance(citizen, clerk, reviewer):
    car = vehicle(citizen, insurance_valid_until=date(2026, 11, 23))
    app = run(citizen, "V07", clerk, reviewer, vehicle_id=car.pk)
    assert problems(app) == {"condition:insurance_valid"}
    good = vehicle(citizen)
    assert run(citizen, "V07", clerk, reviewer, vehicle_id=good.pk).status == "completed"


def exempt_car(user, **kwargs):
    # Registered 2022-12-10: the inspection due 2026-12-31 is in its 4th year (exempt).
    defaults = {
        "registration_date": date(2022, 12, 10),
        "manufacture_date": date(2022, 11, 1),
        "inspection_valid_until": date(2026, 12, 31),
        "insurance_valid_until": date(2027, 12, 9),
    }
    return vehicle(user, **{**defaults, **kwargs})


def test_exempt_sticker_extends_the_inspection_two_years(citizen, clerk, reviewer):
    car = exempt_car(citizen)
    app = run(citizen, "V08", clerk, reviewer, vehicle_id=car.pk)
    assert app.status == "completed"
    car.refresh_from_db()
    assert car.inspection_valid_until == date(2028, 12, 31)


def test_exempt_sticker_refused_with_unhandled_violations(citizen, clerk, reviewer):
    car = exempt_car(citizen)
    camera_violation(car)
    app = run(citizen, "V08", clerk, reviewer, vehicle_id=car.pk)
    assert problems(app) == {"condition:no_unhandled_violations"}


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"vehicle_type": "K39"}, "condition:exempt_eligible"),  # a van
        ({"use_nature": "D"}, "condition:exempt_eligible"),  # a taxi
        ({"registration_date": date(2020, 12, 10)}, "condition:exempt_eligible"),  # 6th year
        ({"inspection_valid_until": date(2027, 3, 31)}, "condition:inspection_window"),
    ],
)
def test_exempt_sticker_edges(citizen, clerk, reviewer, kwargs, problem):
    car = exempt_car(citizen, **kwargs)
    app = run(citizen, "V08", clerk, reviewer, vehicle_id=car.pk)
    assert problem in problems(app)


def test_inspection_deferral_within_six_months(citizen, clerk, reviewer):
    car = vehicle(citizen, inspection_valid_until=date(2026, 12, 31))
    ok = run(
        citizen,
        "V09",
        clerk,
        reviewer,
        data={"deferral_reason": "away", "defer_until": "2027-06-30"},
        vehicle_id=car.pk,
    )
    assert ok.status == "completed"
    car.refresh_from_db()
    assert car.inspection_valid_until == date(2027, 6, 30)
    late = run(
        citizen,
        "V09",
        clerk,
        reviewer,
        data={"deferral_reason": "away", "defer_until": "2028-01-01"},
        vehicle_id=car.pk,
    )
    assert "condition:defer_limit" in problems(late)


def test_owner_contact_change(citizen, clerk, reviewer):
    car = vehicle(citizen)
    app = run(citizen, "V11", clerk, reviewer, data={"phone": "13987654321"}, vehicle_id=car.pk)
    assert app.status == "completed"


@pytest.mark.parametrize(
    ("reason", "start", "end", "ok"),
    [
        ("acquired", "2026-11-24", "2026-12-23", True),  # 30 days
        ("acquired", "2026-11-24", "2026-12-24", False),  # 31 days
        ("oversize", "2026-11-24", "2027-02-21", True),  # 90 days
        ("oversize", "2026-11-24", "2027-04-01", False),  # beyond the insurance
        ("acquired", "2026-11-23", "2026-11-30", False),  # starts in the past
    ],
)
def test_temporary_plate_period(citizen, clerk, reviewer, reason, start, end, ok):
    """R164 Art 47. A temporary plate is for a vehicle without plates (R164 Art 46), so the
    vehicle is a VIN not yet registered; the former cases of a registered vehicle (plates
    being replaced, moving out) belong to R164 Arts 27 and 51."""
    from tests.factories import make_vin

    app = run(
        citizen,
        "V12",
        clerk,
        reviewer,
        data={
            "vin": make_vin(8500),
            "temp_case": reason,
            "valid_from": start,
            "valid_to": end,
            "insurance_valid_until": "2027-03-31",
        },
    )
    assert (app.status == "completed") is ok


@pytest.mark.parametrize(
    ("until", "open_"),
    [
        (date(2027, 2, 23), True),  # the window opened yesterday
        (date(2027, 2, 24), True),  # it opens today: three months before the end
        (date(2027, 2, 25), False),  # it opens tomorrow
    ],
)
def test_exempt_sticker_window_is_three_months_before_the_end_r164_art_54(
    citizen, clerk, reviewer, until, open_
):
    """Frozen on 2026-11-24. The old rule (the due month and the two before) refused 2027-02-24."""
    car = exempt_car(citizen, inspection_valid_until=until)
    app = run(citizen, "V08", clerk, reviewer, vehicle_id=car.pk)
    assert ("condition:inspection_window" in problems(app)) is not open_
    assert (app.status == "completed") is open_
