"""The scale generator: valid records, unique identifiers, re-runnable next to the demo."""

from __future__ import annotations

import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from tests.factories import PersonFactory, make_id_number
from vmo.core import clock
from vmo.demo import identifiers as ids
from vmo.demo.generate import generate
from vmo.registry import rules
from vmo.registry.models import (
    DriverLicence,
    Person,
    Plate,
    PointsEntry,
    Vehicle,
    VehicleLicence,
    id_lookup_hash,
)
from vmo.registry.selectors import points_in_cycle
from vmo.violations.choices import HandlingStatus
from vmo.violations.models import Violation

pytestmark = pytest.mark.django_db


def run(people: int, **options: int) -> str:
    out = StringIO()
    call_command("generate", people=people, batch=options.pop("batch", 200), stdout=out, **options)
    return out.getvalue()


def sample(model, n: int = 60):  # noqa: ANN001, ANN201
    pks = list(model.objects.values_list("pk", flat=True))
    return model.objects.filter(pk__in=random.Random(7).sample(pks, min(n, len(pks))))


def test_generate_500_valid_people_with_licences_vehicles_and_violations():
    output = run(500)
    assert "500 people" in output and "Done" in output
    assert Person.objects.count() == 500
    licences, vehicles = DriverLicence.objects.count(), Vehicle.objects.count()
    assert 0.55 * 500 <= licences <= 0.85 * 500
    assert 0.3 * 500 <= vehicles <= 0.65 * 500
    assert Plate.objects.count() == VehicleLicence.objects.count() == vehicles
    assert Violation.objects.exists() and PointsEntry.objects.exists()
    for model in (Person, DriverLicence, Vehicle, Plate, VehicleLicence, Violation, PointsEntry):
        for obj in sample(model):
            obj.full_clean()


def test_personal_data_is_encrypted_and_hashed_like_the_models_do():
    run(50, batch=20)
    with connection.cursor() as cursor:
        # Raw SQL: the ORM would decrypt.
        cursor.execute("SELECT id_number, phone, address FROM registry_person")
        raw = cursor.fetchall()
    assert len(raw) == 50
    assert all(
        value.count("$") == 1 and "新疆" not in value and not value[:11].isdigit()
        for row in raw
        for value in row
    )
    for person in Person.objects.all()[:20]:
        assert person.id_hash == id_lookup_hash(person.id_number)
        info_birth = person.id_number[6:14]
        assert person.birth_date.strftime("%Y%m%d") == info_birth
        assert person.region_code == person.id_number[:6]


def test_derived_statuses_match_the_rules():
    run(400)
    today = clock.today()
    for licence in sample(DriverLicence, 200):
        expected = rules.licence_status(
            flags=licence.flags,
            points=points_in_cycle(licence),
            valid_to=licence.valid_to,
            verification_due=licence.verification_due,
            today=today,
        )
        assert licence.status == expected
    for vehicle in sample(Vehicle, 200):
        assert vehicle.status == rules.vehicle_status(
            flags=vehicle.flags, inspection_valid_until=vehicle.inspection_valid_until, today=today
        )
        assert ("G" in vehicle.flags) == vehicle.violations.filter(
            handling_status=HandlingStatus.UNHANDLED
        ).exists()


def test_rerunnable_on_a_database_with_the_demo_and_other_people():
    call_command("seed_demo", allow_known_passwords=True, stdout=StringIO())
    # Someone who signed up with the ID number the generator would have used next.
    k = ids.DEMO_RESERVE + Person.objects.count()
    regions = ["652301", "652302", "652323", "652324", "652325", "652327", "652328"]
    PersonFactory(id_number=ids.id_number(k, regions))
    PersonFactory(id_number=make_id_number(99))
    before = Person.objects.count()
    run(300)
    run(300, seed=7)
    assert Person.objects.count() == before + 600
    for field in ("id_hash",):
        assert not Person.objects.values(field).annotate(n=Count("id")).filter(n__gt=1).exists()
    assert (
        not Plate.objects.filter(status="active")
        .values("number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    assert not Vehicle.objects.values("vin").annotate(n=Count("id")).filter(n__gt=1).exists()


def test_generate_function_reports_totals():
    lines: list[str] = []
    totals = generate(people=120, batch=50, progress=lines.append)
    assert totals.people == 120 and len(lines) == 3
    assert totals.licences == DriverLicence.objects.count()
    assert totals.violations == Violation.objects.count()
