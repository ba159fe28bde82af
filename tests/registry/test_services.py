from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tests.factories import LicenceFactory, PersonFactory, VehicleFactory, make_id_number, make_vin
from vmo.core.selectors import events_for
from vmo.registry import selectors, services
from vmo.registry.models import DriverLicence, Person, Vehicle

pytestmark = pytest.mark.django_db


def test_person_create_derives_birth_sex_region_and_records_history():
    id_number = make_id_number(5, birth=date(1988, 5, 17), female=True)
    person = services.person_create(
        actor=None, name="阿依古丽", id_number=id_number, phone="+86 138-1234-5678"
    )
    assert person.birth_date == date(1988, 5, 17) and person.sex == "F"
    assert person.region_code == id_number[:6]
    assert person.phone == "13812345678"
    assert events_for(person).get().action == "person.create"
    # History never holds the ID number or the phone.
    assert id_number not in str(events_for(person).get().after)


def test_person_create_reports_every_problem_and_writes_nothing():
    bad_id = make_id_number(6)[:-1] + ("0" if make_id_number(6)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=None, name="张三", id_number=bad_id, phone="12345")
    assert set(caught.value.message_dict) == {"id_number", "phone"}
    assert Person.objects.count() == 0


def test_duplicate_person_refused():
    person = PersonFactory()
    with pytest.raises(ValidationError) as caught:
        services.person_create(actor=None, name="某人", id_number=person.id_number.lower())
    assert "id_number" in caught.value.message_dict


def test_points_ledger_drives_the_full_score_status():
    licence = LicenceFactory(first_issue_date=date(2015, 6, 1))
    with time_machine.travel(date(2026, 11, 24), tick=False):
        services.points_record(
            licence=licence,
            actor=None,
            points=6,
            kind="violation",
            occurred_on=date(2026, 7, 1),
            source_type="violation",
            source_id="1",
        )
        assert selectors.points_in_cycle(licence) == 6
        services.points_record(
            licence=licence,
            actor=None,
            points=6,
            kind="violation",
            occurred_on=date(2026, 11, 1),
            source_type="violation",
            source_id="2",
        )
        licence.refresh_from_db()
        assert licence.status == "B" and selectors.points_in_cycle(licence) == 12
    with time_machine.travel(date(2027, 6, 1), tick=False):
        # A new cycle starts on the anniversary of the first issue date.
        assert selectors.points_in_cycle(licence) == 0


def test_same_source_cannot_score_twice():
    licence = LicenceFactory()
    kwargs = {
        "licence": licence,
        "actor": None,
        "points": 3,
        "kind": "violation",
        "occurred_on": date(2026, 7, 1),
        "source_type": "violation",
        "source_id": "9",
    }
    services.points_record(**kwargs)
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, backend-specific class
        services.points_record(**kwargs)


def test_decided_flags_need_a_reason_and_derived_letters_cannot_be_forced():
    licence = LicenceFactory()
    with pytest.raises(ValidationError):
        services.licence_set_flags(licence=licence, actor=None, add="D", reason="")
    with pytest.raises(ValidationError):
        services.licence_set_flags(licence=licence, actor=None, add="B", reason="forcing")
    services.licence_set_flags(
        licence=licence, actor=None, add="D", reason="suspended by decision 2026-001"
    )
    assert DriverLicence.objects.get(pk=licence.pk).status == "D"
    assert events_for(licence).filter(action="licence.status").exists()


@time_machine.travel(date(2026, 11, 24), tick=False)
def test_vehicle_status_follows_inspection_and_violation_flags():
    vehicle = VehicleFactory(inspection_valid_until=date(2026, 11, 1))
    services.vehicle_recompute_status(vehicle=vehicle)
    services.vehicle_set_flags(vehicle=vehicle, actor=None, add="G", reason="camera record")
    assert Vehicle.objects.get(pk=vehicle.pk).status == "GQ"
    services.vehicle_set_flags(vehicle=vehicle, actor=None, remove="G", reason="handled")
    assert Vehicle.objects.get(pk=vehicle.pk).status == "Q"


def test_vehicle_create_validates_vin_and_plate_and_writes_nothing_on_error():
    owner = PersonFactory()
    good = {
        "actor": None,
        "vehicle_type": "K33",
        "use_nature": "A",
        "brand": "比亚迪",
        "model_name": "秦",
        "colour": "A",
        "engine_number": "E1",
        "manufacture_date": date(2024, 1, 1),
        "registration_date": date(2024, 2, 1),
        "inspection_valid_until": date(2030, 2, 28),
        "plate_type": "02",
        "owner_person": owner,
    }
    bad_vin = make_vin(3)[:8] + ("1" if make_vin(3)[8] != "1" else "2") + make_vin(3)[9:]
    with pytest.raises(ValidationError):
        services.vehicle_create(vin=bad_vin, plate_number="新B12345", **good)
    with pytest.raises(ValidationError):
        services.vehicle_create(vin=make_vin(3), plate_number="新BI2345", **good)
    assert Vehicle.objects.count() == 0
    vehicle = services.vehicle_create(vin=make_vin(3), plate_number="新B·12345", **good)
    assert vehicle.plates.get().number == "新B12345"


def _register(n: int, number: str, plate_type: str, vehicle_type: str = "K33") -> Vehicle:
    return services.vehicle_create(
        actor=None,
        vin=make_vin(9000 + n),
        vehicle_type=vehicle_type,
        use_nature="A",
        brand="中集",
        model_name="半挂车",
        colour="A",
        engine_number=f"E{n:08d}",
        manufacture_date=date(2024, 1, 1),
        registration_date=date(2024, 2, 1),
        inspection_valid_until=date(2027, 2, 28),
        plate_number=number,
        plate_type=plate_type,
        owner_person=PersonFactory(),
    )


@pytest.mark.parametrize(
    ("n", "typed", "plate_type"),
    [(1, "新B·1234挂", "15"), (2, "新B·1234学", "16"), (3, "新B·0001警", "23")],
)
def test_registry_holds_special_use_plates_ga_36(n, typed, plate_type):
    plate = _register(n, typed, plate_type).plates.get()
    assert plate.display == typed and plate.plate_type == plate_type


def test_registry_refuses_a_plate_of_another_type_ga_36():
    with pytest.raises(ValidationError) as caught:
        _register(4, "新B1234挂", "02")
    assert "number" in caught.value.message_dict
    assert not Vehicle.objects.exists()


@pytest.mark.parametrize(
    ("first17", "region", "birth"),
    [
        ("81000019900101123", "810000", date(1990, 1, 1)),  # Hong Kong resident's permit
        ("82000019851231002", "820000", date(1985, 12, 31)),  # Macau
        ("83000020000229001", "830000", date(2000, 2, 29)),  # Taiwan
        ("96584019850715002", "965840", date(1985, 7, 15)),  # foreigner's permanent residence ID
    ],
)
def test_person_create_takes_every_identity_document(first17, region, birth):
    from vmo.registry.validators import id_check_char

    person = services.person_create(
        actor=None, name="陈大文", id_number=first17 + id_check_char(first17)
    )
    assert (person.region_code, person.birth_date) == (region, birth)
