"""The demo city: idempotent, valid, with the accounts and situations the README promises."""

from __future__ import annotations

import base64
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from vmo.accounts.models import User
from vmo.core import clock
from vmo.demo.seed import CITIZEN_PASSWORD, OFFICER_PASSWORD, OFFICERS, demo_totp_key
from vmo.notices.models import Message
from vmo.registry.models import (
    Company,
    CompanyRepresentative,
    DriverLicence,
    Person,
    Plate,
    PointsEntry,
    Vehicle,
    VehicleLicence,
    phone_lookup_hash,
)
from vmo.registry.selectors import acts_for, points_in_cycle, vehicles_acted_for
from vmo.violations.choices import HandlingStatus
from vmo.violations.models import Violation

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", allow_known_passwords=True, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    state: dict[str, object] = {m._meta.label: m._base_manager.count() for m in apps.get_models()}
    state["licences"] = sorted(
        DriverLicence.objects.values_list("file_number", "status", "flags", "valid_to")
    )
    state["vehicles"] = sorted(
        Vehicle.objects.values_list("vin", "status", "flags", "mortgagee", "inspection_valid_until")
    )
    state["totp keys"] = sorted(
        TOTPDevice.objects.values_list("user__username", "key", "confirmed")
    )
    return state


def sign_in(identifier: str, password: str) -> User | None:
    return authenticate(
        RequestFactory().post("/accounts/login/"), identifier=identifier, password=password
    )


def citizen(phone: str) -> Person:
    return Person.objects.get(phone_hash=phone_lookup_hash(phone))


def test_seed_twice_changes_nothing():
    seed()
    first = snapshot()
    seed()
    assert snapshot() == first
    assert first["registry.Person"] >= 300 and first["registry.Vehicle"] >= 200
    assert first["violations.Violation"] >= 200
    assert first["checks.Organisation"] == 2 and first["checks.OrganisationKey"] == 0


def test_refuses_without_debug_unless_told():
    with pytest.raises(CommandError, match="published"):
        call_command("seed_demo", stdout=StringIO())
    assert not Person.objects.exists()


def test_demo_accounts_sign_in_and_the_table_shows_them():
    output = seed()
    for phone in ("13899990001", "13899990002", "13899990003"):
        user = sign_in(phone, CITIZEN_PASSWORD)
        assert user is not None and user.is_citizen and user.username == f"c{user.person_id}"
        assert phone in output
    assert sign_in("13899990001", OFFICER_PASSWORD) is None
    for username, _name, role in OFFICERS:
        officer = sign_in(username, OFFICER_PASSWORD)
        assert officer is not None and officer.is_officer and officer.role == role
        device = TOTPDevice.objects.get(user=officer)
        assert device.confirmed and device.key == demo_totp_key(username)
        secret = base64.b32encode(bytes.fromhex(demo_totp_key(username))).decode()
        assert secret in output
        # The secret printed is one an authenticator app can use right now.
        token = TOTP(base64.b32decode(secret), step=device.step, digits=device.digits).token()
        assert device.verify_token(f"{token:0{device.digits}d}")


def test_citizen_one_has_points_an_unhandled_car_and_a_car_due_for_inspection():
    seed()
    today = clock.today()
    ma = citizen("13899990001")
    assert ma.name == "马建国" and ma.region_code == "652301"
    licence = ma.licence
    assert licence.status == "A" and licence.valid_to > today and points_in_cycle(licence) == 3
    assert PointsEntry.objects.get(licence=licence).source_type == "violation"
    cars = {v.plates.get(status="active").number: v for v in ma.vehicles.all()}
    assert len(cars) == 2
    flagged = cars["新BA7K21"]
    assert "G" in flagged.status
    unhandled = flagged.violations.filter(handling_status=HandlingStatus.UNHANDLED)
    assert unhandled.count() == 3
    # All three can be handled online: fines within 200 yuan, points stay below 12.
    assert all(v.fine_fen <= 20000 for v in unhandled)
    assert 3 + sum(v.points for v in unhandled) < 12
    (due,) = [v for number, v in cars.items() if number != "新BA7K21"]
    assert today <= due.inspection_valid_until <= today + timedelta(days=90)
    assert due.new_energy and due.plates.get().plate_type == "52"


def test_citizen_two_renewal_window_open_and_company_with_agent():
    seed()
    today = clock.today()
    ayi = citizen("13899990002")
    assert ayi.name == "阿依古丽·买买提" and ayi.sex == "F"
    assert today < ayi.licence.valid_to <= today + timedelta(days=90)
    assert ayi.vehicles.count() == 1
    company = Company.objects.get(name="昌吉市天山运输有限公司")
    assert company.vehicles.count() == 3
    assert all(v.plates.get().plate_type == "01" for v in company.vehicles.all())
    rep = CompanyRepresentative.objects.get(company=company, person=citizen("13899990003"))
    assert rep.role == "agent"
    assert User.objects.filter(person=rep.person, kind="citizen").exists()
    # Named is not enough (issue 12): the office recorded the authorisation of 李建军, so the
    # demo shows the company's vehicles; 赵雪梅 is named and verified but still waits for hers.
    assert {v.pk for v in vehicles_acted_for(rep.person)} == {v.pk for v in company.vehicles.all()}
    pending = CompanyRepresentative.objects.get(company=company, person=citizen("13899990061"))
    assert pending.role == "agent" and not acts_for(pending.person, company.pk)
    assert User.objects.filter(person=pending.person, kind="citizen").exists()


def test_a_citizen_drives_on_a_temporary_plate_r164_art_47():
    """R164 Arts 46-47: a car bought and not yet registered, its temporary plate on the
    holder's status with the next step, two more issues left."""
    from vmo.registry import temporary_plate_rules as temporary_plates
    from vmo.registry.models import TemporaryPlate
    from vmo.status.selectors import status_for_person

    seed()
    sun = citizen("13899990046")
    (plate,) = TemporaryPlate.objects.filter(holder_person=sun)
    assert plate.case == "acquired" and plate.valid_to == clock.today() + timedelta(days=2)
    assert temporary_plates.issues_left(plate.vin, "acquired") == 2
    status = status_for_person(sun)
    assert [p.number for p in status.temporary_plates] == [plate.display]
    assert "temporary_plate_ending" in {s.kind for s in status.next_steps}


def test_records_are_valid_and_cover_every_status():
    seed()
    for model in (
        Person,
        DriverLicence,
        Vehicle,
        Plate,
        VehicleLicence,
        PointsEntry,
        Company,
        CompanyRepresentative,
        Violation,
    ):
        for obj in model.objects.all():
            obj.full_clean()
    for user in User.objects.all():
        user.full_clean(exclude=["password"])
    numbers = list(Person.objects.values_list("id_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    # Changji residents, and on purpose a Hong Kong resident's residence permit (810000) and a
    # foreigner's permanent residence ID card (965398): every identity document is held.
    assert {p.region_code for p in Person.objects.all()} <= {
        "810000",
        "965398",
        "652301",
        "652302",
        "652323",
        "652324",
        "652325",
        "652327",
        "652328",
    }
    assert not Violation.objects.exclude(plate_number__startswith="新B").exists()

    licence_letters = set("".join(DriverLicence.objects.values_list("status", flat=True)))
    assert {"A", "B", "D", "F", "M", "S"} <= licence_letters
    vehicle_letters = set("".join(Vehicle.objects.values_list("status", flat=True)))
    assert {"A", "G", "Q"} <= vehicle_letters
    assert Vehicle.objects.exclude(mortgagee="").exists()
    assert Plate.objects.filter(plate_type__in=["51", "52"]).exists()
    # A full score comes from the points ledger, never from a flag.
    full = DriverLicence.objects.filter(status__contains="B").first()
    assert full is not None and "B" not in full.flags and points_in_cycle(full) >= 12
    # Every vehicle with G has an unhandled violation, and the reverse.
    for vehicle in Vehicle.objects.all():
        has_unhandled = vehicle.violations.filter(handling_status=HandlingStatus.UNHANDLED).exists()
        assert ("G" in vehicle.status) == has_unhandled, vehicle.vin


def test_demo_totp_prints_a_code_that_signs_in_and_only_for_demo_officers():
    seed()
    out = StringIO()
    call_command("demo_totp", "clerk", stdout=out)
    device = TOTPDevice.objects.get(user__username="clerk")
    assert device.verify_token(out.getvalue().strip())
    device.key = "00" * 20
    device.save()
    with pytest.raises(CommandError):
        call_command("demo_totp", "clerk", stdout=StringIO())


def test_the_legal_rules_have_their_demo_cases():
    """docs/legal-rules.md: each rule can be seen in the demo city."""
    from vmo.registry.models import FullScoreReached
    from vmo.violations.models import IntakeRejection

    seed()
    chen = citizen("13899990004")
    # R162 Art 62: a cleared full score in the validity about to be renewed.
    assert points_in_cycle(chen.licence) == 0 and chen.region_code == "810000"
    assert FullScoreReached.objects.filter(licence=chen.licence).count() == 1
    # GA 36: a trailer and a coach plate; the foreigner's permanent residence ID card.
    askar = citizen("13899990005")
    assert askar.id_number.startswith("965")
    assert {p.plate_type for p in Plate.objects.filter(vehicle__owner_person=askar)} == {"15", "16"}
    # 行政处罚法 Art 36: a camera record more than two years old refused.
    (rejection,) = IntakeRejection.objects.filter(batch__source_name="demo-old-records.csv")
    assert [r["code"] for r in rejection.reasons] == ["limitation"]
    # R163 Art 22: a second full score in the cycle needs the law exam and subject 3.
    from vmo.appointments.checks import full_score_required

    second = citizen("13899990006").licence
    assert "B" in second.status and full_score_required(second)[1] == ("full", "3")
    # R162 Art 65: the holder of a B2 class turning 63 in 40 days is told to exchange it.
    wang = citizen("13899990007")
    assert Message.objects.filter(kind="licence.age_class_exchange", user=wang.account).exists()
    # DOMAIN §4 anti-proxy: a driver who handled three non-own vehicles is on the list.
    from vmo.violations.models import ProxySuspect

    zhao = citizen("13899990010")
    suspect = ProxySuspect.objects.get(person=zhao, cleared_at__isnull=True)
    assert len(suspect.evidence["vehicles"]) == 3
    # Counter handling: drink driving waits for an officer; another was decided at the counter.
    from vmo.violations.models import PenaltyDecision

    waiting = Violation.objects.get(record_id="DEMODRINK0")
    assert waiting.handling_status == HandlingStatus.UNHANDLED
    decided = PenaltyDecision.objects.get(violation__record_id="DEMODRINK1")
    assert decided.channel == "counter" and decided.points == 12
    # 强制报废标准 Art 4: a truck three cycles uninspected, found by the daily scan.
    from vmo.notices.notice_scans import scan_compulsory_scrap_reached
    from vmo.registry.inspection import compulsory_scrap_from

    (truck,) = Vehicle.objects.filter(owner_person=citizen("13899990021"), vehicle_type="H21")
    assert compulsory_scrap_from(truck) <= clock.today()
    assert scan_compulsory_scrap_reached(day=clock.today()) >= 1
    # R164 Art 41(1): another truck whose owner was told and did not cancel is on the officers'
    # worklist, ready to be declared void.
    from vmo.office.scrap import scrap_worklist

    (case,) = [c for c in scrap_worklist() if c.vehicle.owner_person == citizen("13899990022")]
    assert case.due(clock.today()) and case.plate.endswith("7QW14")
    # R164 Art 86: a new record on the company's vehicle is in its agent's inbox.
    agent = citizen("13899990003")
    assert Message.objects.filter(
        kind="violation.new",
        user=agent.account,
        dedup_key__startswith=f"violation.new:DEMOCOMPANY1:p{agent.pk}",
    ).exists()
    # Issue 16's cases (tests/demo/test_law_cases_more.py): their citizens sign in.
    for phone in (
        "13899990032",
        "13899990033",
        "13899990034",
        "13899990035",
        "13899990036",
        "13899990037",
    ):
        assert sign_in(phone, CITIZEN_PASSWORD) is not None
