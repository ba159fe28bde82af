"""Plate selection services: pools, draws, reservations, their end, notices, fairness."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import CitizenFactory, CompanyFactory, VehicleFactory
from tests.registry.agents import authorise
from vmo.core import clock
from vmo.core.models import Event
from vmo.notices.models import Message
from vmo.plates import fairness, selectors, services
from vmo.plates.choices import NumberStatus, ReservationStatus
from vmo.plates.models import DaySeed, Draw, PoolNumber, Reservation
from vmo.registry.models import CompanyRepresentative

from .helpers import load_pool, new_vin, small_numbers

pytestmark = pytest.mark.django_db
NOON = datetime(2025, 3, 3, 12, 0, tzinfo=clock.OFFICE_TZ)  # a Monday


def _codes(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {e.code for errors in exc.value.error_dict.values() for e in errors}


# --- Pools ---------------------------------------------------------------------------------


def test_pool_load_lists_every_bad_line_and_loads_nothing():
    VehicleFactory(plate="新B00001")
    services.withheld_add(actor=None, pattern="新B8888?", reason="kept by the office")
    text = "\n".join(
        [
            "number",
            "新BQ0001",
            "新BQ000I",  # I never used
            "新BABC12",  # three letters
            "京AQ0002",  # other office
            "新BQ0001",  # repeats line 2
            "新B00001",  # on a registered vehicle
            "新B88881",  # withheld
            "新BD12345",  # new-energy number in a small-car batch
        ]
    )
    with pytest.raises(ValidationError) as exc:
        services.pool_batch_load(actor=None, plate_type="02", text=text)
    messages = exc.value.messages
    assert len(messages) == 7
    assert messages[0].startswith("Line 3, 新BQ000I")
    assert any("repeats line 2" in m and m.startswith("Line 6") for m in messages)
    assert any("registered vehicle" in m for m in messages)
    assert any("withheld" in m and "新B8888?" in m for m in messages)
    assert any(m.startswith("Line 5, 京AQ0002") and "新B" in m for m in messages)
    assert PoolNumber.objects.count() == 0


def test_pool_load_checks_new_energy_sizes():
    with pytest.raises(ValidationError) as exc:
        services.pool_batch_load(actor=None, plate_type="52", text="新B54321F\n新B12345D\n新BQ0001")
    assert len(exc.value.messages) == 3  # large new-energy, large new-energy, ordinary
    batch = services.pool_batch_load(actor=None, plate_type="52", text="新BD12345\n新BFA1234")
    assert batch.size == 2 and PoolNumber.objects.filter(plate_type="52").count() == 2
    assert Event.objects.filter(action="plates.batch_loaded").count() == 1


# --- Draws and fairness --------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_draw_offers_fifty_and_anyone_can_verify_it_after_the_reveal(citizen):
    load_pool(300)
    services.seed_commit(day=date(2025, 3, 3))  # published in advance? no: created now
    draw = services.draw_create(
        actor=citizen, vin=new_vin(1), model_name="比亚迪 秦", plate_type="02"
    )
    assert len(draw.candidates) == 50 == len(set(draw.candidates))
    assert draw.snapshot_size == 300 and draw.snapshot_numbers == small_numbers(300)
    before = selectors.draw_verification(draw.public_id)
    assert before.seed_hex is None and before.matches is None and before.snapshot_ok
    with pytest.raises(ValidationError):
        services.seed_reveal(seed=draw.day, actor=None)  # the day is not over
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        assert services.seeds_reveal() == 1
    after = selectors.draw_verification(draw.public_id)
    assert after.commitment_ok and after.matches and after.recomputed == draw.candidates
    # The published recipe, written out independently, gives the same numbers.
    import hashlib
    import hmac

    key = hmac.new(bytes.fromhex(after.seed_hex), draw.public_id.encode(), hashlib.sha256).digest()
    mine = sorted(
        small_numbers(300), key=lambda n: (hmac.new(key, n.encode(), "sha256").digest(), n)
    )[:50]
    assert mine == draw.candidates
    # A tampered record no longer matches.
    Draw.objects.filter(pk=draw.pk).update(candidates=list(reversed(draw.candidates)))
    assert selectors.draw_verification(draw.public_id).matches is False


def test_seed_commitment_never_changes_and_is_published_in_advance():
    with time_machine.travel(NOON, tick=False):
        first = services.seed_commit(day=date(2025, 3, 4))
        again = services.seed_commit(day=date(2025, 3, 4))
    assert first.commitment == again.commitment == fairness.seed_commitment(first.seed)
    assert selectors.committed_in_advance(first)
    with time_machine.travel(NOON, tick=False):
        late = services.seed_commit(day=date(2025, 3, 3))
    assert not selectors.committed_in_advance(late)


@time_machine.travel(NOON, tick=False)
def test_draw_refusals_name_every_problem_and_change_nothing(citizen, settings):
    load_pool(60)
    registered = VehicleFactory()
    with pytest.raises(ValidationError) as exc:
        services.draw_create(actor=citizen, vin="LSV123", model_name="x", plate_type="99")
    assert _codes(exc) == {"vin_format", "plate_type"}
    with pytest.raises(ValidationError) as exc:
        services.draw_create(actor=citizen, vin=registered.vin, model_name="x", plate_type="02")
    assert _codes(exc) == {"vin_registered"}
    other = CompanyFactory()
    with pytest.raises(ValidationError) as exc:
        services.draw_create(
            actor=citizen, vin=new_vin(2), model_name="x", plate_type="02", company=other
        )
    assert _codes(exc) == {"not_company_agent"}
    assert Draw.objects.count() == 0


@time_machine.travel(NOON, tick=False)
def test_redraws_are_limited_per_vehicle_per_day(citizen):
    load_pool(60)
    vin = new_vin(3)
    for _ in range(6):  # the first draw and 5 redraws (office default)
        services.draw_create(actor=citizen, vin=vin, model_name="x", plate_type="02")
    with pytest.raises(ValidationError) as exc:
        services.draw_create(actor=citizen, vin=vin, model_name="x", plate_type="02")
    assert _codes(exc) == {"redraws_used"}
    assert Draw.objects.count() == 6
    with time_machine.travel(NOON + timedelta(days=1), tick=False):
        services.draw_create(actor=citizen, vin=vin, model_name="x", plate_type="02")


# --- Reservations --------------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_reserve_from_a_draw_holds_the_number_for_fifteen_working_days(citizen):
    load_pool(60)
    draw = services.draw_create(actor=citizen, vin=new_vin(4), model_name="朗逸", plate_type="02")
    number = draw.candidates[7]
    reservation = services.reservation_create(actor=citizen, number=number, draw=draw)
    assert reservation.status == ReservationStatus.ACTIVE and reservation.vin == draw.vin
    assert reservation.expires_on == date(2025, 3, 24)  # 15 working days from the next day
    assert PoolNumber.objects.get(number=number).status == NumberStatus.RESERVED
    assert selectors.active_reservation_for_vin(draw.vin) == reservation
    # Not offered again, and the vehicle cannot take a second one.
    assert number not in selectors.free_numbers(plate_type="02")
    with pytest.raises(ValidationError) as exc:
        services.reservation_create(actor=citizen, number=draw.candidates[8], draw=draw)
    assert _codes(exc) == {"vin_has_reservation"}


@time_machine.travel(NOON, tick=False)
def test_composed_number_checked_before_and_refused_when_bad(citizen):
    load_pool(40)
    services.withheld_add(actor=None, pattern="新BQ002*", reason="kept")
    check = services.number_check(actor=citizen, number="新B·Q0013", plate_type="02")
    assert check.available and check.number == "新BQ0013"
    for number, fragment in [
        ("新BQ0025", "withheld"),
        ("新BQ000O", "never use"),
        ("新BQ0987", "not among"),
        ("新BQ0000", "identical"),
    ]:
        result = services.number_check(actor=citizen, number=number, plate_type="02")
        assert not result.available and fragment in " ".join(result.problems), number
    vin = new_vin(5)
    reservation = services.reservation_create(
        actor=citizen, number="新BQ0013", vin=vin, model_name="哈弗", plate_type="02"
    )
    assert reservation.source == "composed"
    other = CitizenFactory()
    assert not services.number_check(actor=other, number="新BQ0013", plate_type="02").available
    with pytest.raises(ValidationError) as exc:
        services.reservation_create(
            actor=other, number="新BQ0013", vin=new_vin(6), model_name="哈弗", plate_type="02"
        )
    assert _codes(exc) == {"taken"}
    with pytest.raises(ValidationError) as exc:
        services.reservation_create(
            actor=other, number="新BQ0025", vin="BAD", model_name="", plate_type="02"
        )
    assert _codes(exc) == {"vin_format", "withheld", "required"}
    assert Reservation.objects.count() == 1


@time_machine.travel(NOON, tick=False)
def test_checks_are_rate_limited(citizen, settings):
    settings.VMO_PLATES = {"checks_per_hour": 3}
    load_pool(5)
    for _ in range(3):
        services.number_check(actor=citizen, number="新BQ0001", plate_type="02")
    with pytest.raises(ValidationError) as exc:
        services.number_check(actor=citizen, number="新BQ0001", plate_type="02")
    assert exc.value.code == "rate_limited"
    # Another user has an allowance of their own.
    services.number_check(actor=CitizenFactory(), number="新BQ0001", plate_type="02")


@time_machine.travel(NOON, tick=False)
def test_only_successful_reservations_count_as_attempts(citizen):
    load_pool(30)
    from vmo.core.services import office_config_update

    office_config_update(actor=None, plate_attempts=2)
    vin = new_vin(7)
    with pytest.raises(ValidationError):
        services.reservation_create(
            actor=citizen, number="新BQ0999", vin=vin, model_name="x", plate_type="02"
        )
    for number in ("新BQ0012", "新BQ0013"):
        r = services.reservation_create(
            actor=citizen, number=number, vin=vin, model_name="x", plate_type="02"
        )
        services.reservation_release(reservation=r, actor=citizen)
    with pytest.raises(ValidationError) as exc:
        services.reservation_create(
            actor=citizen, number="新BQ0014", vin=vin, model_name="x", plate_type="02"
        )
    assert _codes(exc) == {"attempts_used"}


def test_a_named_agent_without_an_authorisation_cannot_reserve_for_the_company(citizen):
    # Issue 12: the company naming the person is not enough; the office records the letter.
    load_pool(20)
    company = CompanyFactory()
    CompanyRepresentative.objects.create(company=company, person=citizen.person, role="agent")
    with pytest.raises(ValidationError) as exc:
        services.reservation_create(
            actor=citizen,
            number="新BQ0012",
            vin=new_vin(8),
            model_name="x",
            plate_type="02",
            company=company,
        )
    assert _codes(exc) == {"not_company_agent"}


def test_company_agent_reserves_for_the_company(citizen):
    load_pool(20)
    company = CompanyFactory()
    CompanyRepresentative.objects.create(company=company, person=citizen.person, role="agent")
    authorise(company, citizen.person)
    r = services.reservation_create(
        actor=citizen,
        number="新BQ0012",
        vin=new_vin(8),
        model_name="x",
        plate_type="02",
        company=company,
    )
    assert r.company == company
    assert selectors.selection_results(clock.today())[0]["applicant_masked"] == (
        company.name[0] + "*" * (len(company.name) - 1)
    )


def test_database_refuses_a_second_holder_whatever_the_code(citizen):
    load_pool(20)
    pool = PoolNumber.objects.get(number="新BQ0000")
    fields = {
        "number": "新BQ0000",
        "pool_number": pool,
        "plate_type": "02",
        "model_name": "x",
        "user": citizen,
        "source": "composed",
        "reserved_at": clock.now(),
        "expires_on": clock.today(),
    }
    Reservation.objects.create(vin=new_vin(9), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(vin=new_vin(10), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(
            vin=new_vin(9),
            **{
                **fields,
                "number": "新BQ0012",
                "pool_number": PoolNumber.objects.get(number="新BQ0012"),
            },
        )


def test_bind_and_release_end_a_reservation_once(citizen):
    load_pool(20)
    r = services.reservation_create(
        actor=citizen, number="新BQ0012", vin=new_vin(11), model_name="x", plate_type="02"
    )
    officer = CitizenFactory()
    services.reservation_bind(reservation=r, actor=officer)
    assert Reservation.objects.get(pk=r.pk).status == ReservationStatus.BOUND
    assert PoolNumber.objects.get(number="新BQ0012").status == NumberStatus.BOUND
    assert selectors.active_reservation_for_vin(r.vin) is None
    with pytest.raises(ValidationError):
        services.reservation_release(reservation=r, actor=citizen)
    assert Event.objects.filter(action="plates.bound").count() == 1


def test_expiry_reminds_then_releases_once_with_notices(citizen):
    load_pool(20)
    with time_machine.travel(NOON, tick=False):
        r = services.reservation_create(
            actor=citizen, number="新BQ0012", vin=new_vin(12), model_name="x", plate_type="02"
        )
    assert r.expires_on == date(2025, 3, 24)
    with time_machine.travel(datetime(2025, 3, 21, 2, 0, tzinfo=clock.OFFICE_TZ), tick=False):
        assert services.reservation_reminders_send() == 1
        services.reservation_reminders_send()
        assert services.reservations_expire() == 0
    assert Message.objects.filter(kind="plates.reservation_expiring", channel="inapp").count() == 1
    with time_machine.travel(datetime(2025, 3, 25, 2, 0, tzinfo=clock.OFFICE_TZ), tick=False):
        assert services.reservations_expire() == 1
        assert services.reservations_expire() == 0
    assert Reservation.objects.get(pk=r.pk).status == ReservationStatus.EXPIRED
    assert PoolNumber.objects.get(number="新BQ0012").status == NumberStatus.FREE
    released = Message.objects.filter(kind="plates.reservation_released", channel="inapp")
    assert released.count() == 1 and "新B·Q0012" in released.get().subject


def test_selection_results_mask_the_applicant(citizen):
    load_pool(20)
    services.reservation_create(
        actor=citizen, number="新BQ0012", vin=new_vin(13), model_name="x", plate_type="02"
    )
    rows = selectors.selection_results(clock.today())
    name = citizen.person.name
    assert rows == [
        {
            "number": "新BQ0012",
            "applicant_masked": name[0] + "*" * (len(name) - 1),
            "reserved_at": rows[0]["reserved_at"],
        }
    ]
    assert selectors.selection_results(clock.today() - timedelta(days=1)) == []


def test_demo_pool_loads_once():
    batches = services.demo_pool_load()
    assert [b.size for b in batches] == [400, 100]
    assert services.demo_pool_load() == []
    assert DaySeed.objects.count() == 0
