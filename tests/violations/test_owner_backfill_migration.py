"""The migrations that keep the owner at the time on records already entered (registry 0009,
violations 0009-0011), run over rows as they stood before them: each transfer in the history becomes a past owner, and a record of an offence
before a transfer goes back to the owner it ended (RTSL Art 114), a company's to the company;
the others keep the owner now."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from vmo.core import clock

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [
    ("registry", "0008_agent_authorisations"),
    ("violations", "0008_decision_channel_proxy_list"),
]
AFTER = [("registry", "0009_past_owners"), ("violations", "0011_owner_at_the_time_backfill")]
SOLD = datetime(2026, 3, 10, 12, 0, tzinfo=clock.OFFICE_TZ)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([*targets, ("core", "0006_event_actor_role")]).apps


def test_records_before_a_transfer_go_back_to_the_owner_it_ended():
    apps = _migrate(BEFORE)
    Person = apps.get_model("registry", "Person")
    Company = apps.get_model("registry", "Company")
    Vehicle = apps.get_model("registry", "Vehicle")
    Event = apps.get_model("core", "Event")
    Violation = apps.get_model("violations", "Violation")
    Code = apps.get_model("violations", "ViolationCode")
    seller, buyer = (
        Person.objects.create(
            name=name, birth_date="1980-01-01", id_hash=name, sex="1", region_code="652301"
        )
        for name in ("卖方", "买方")
    )
    firm = Company.objects.create(name="昌吉运输有限公司", uscc="91652301MA7800000X")
    car, truck = (
        Vehicle.objects.create(
            vin=vin,
            owner_person=buyer,
            vehicle_type="K33",
            brand="大众",
            model_name="朗逸",
            colour="A",
            engine_number="E1",
            manufacture_date="2019-12-01",
            registration_date="2020-01-01",
            inspection_valid_until="2027-01-31",
            insurance_valid_until="2027-01-31",
        )
        for vin in ("LSVAU2180N2000001", "LSVAU2180N2000002")
    )
    Event.objects.create(
        occurred_at=SOLD,
        subject_type="registry.vehicle",
        subject_id=str(car.pk),
        action="vehicle.transfer",
        before={"owner_person": seller.pk, "owner_company": None},
    )
    Event.objects.create(
        occurred_at=SOLD,
        subject_type="registry.vehicle",
        subject_id=str(truck.pk),
        action="vehicle.transfer",
        before={"owner_person": None, "owner_company": firm.pk},
    )
    code = Code.objects.first()

    def record(n, vehicle, occurred):
        return Violation.objects.create(
            record_id=f"M{n}",
            vehicle=vehicle,
            plate_number="新B12345",
            code=code,
            occurred_at=occurred,
            place="路口",
            points=code.points,
            fine_fen=code.fine_max_fen,
            recorded_at=occurred + timedelta(days=2),
        )

    car_before = record(1, car, SOLD - timedelta(minutes=1))
    car_after = record(2, car, SOLD)
    truck_before = record(3, truck, SOLD - timedelta(days=1))
    truck_after = record(4, truck, SOLD + timedelta(days=1))

    apps = _migrate(AFTER)
    Violation = apps.get_model("violations", "Violation")
    PastOwner = apps.get_model("registry", "PastOwner")
    owners = {
        v.pk: (v.owner_person_id, v.owner_company_id)
        for v in Violation.objects.filter(record_id__startswith="M")
    }
    assert owners == {
        car_before.pk: (seller.pk, None),
        car_after.pk: (buyer.pk, None),
        truck_before.pk: (None, firm.pk),
        truck_after.pk: (buyer.pk, None),
    }
    assert set(
        PastOwner.objects.values_list("vehicle_id", "owner_person_id", "owner_company_id")
    ) == {
        (car.pk, seller.pk, None),
        (truck.pk, None, firm.pk),
    }
