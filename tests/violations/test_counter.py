"""Counter handling: the records online handling refuses (a code handled only in person such as
drink driving, a fine above the online limit under RP Art 52, points that would reach 12 under
R163 Art 14) are decided by an officer with the same penalty decision, points (R163 Art 13) and
fine, and 15 days to pay (RTSL Art 108). Frozen clock; edges: 11 and 12 points, 200 yuan and a
fen above."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import OfficerFactory
from tests.violations.online_factories import (
    PHONE,
    SEAT_BELT,
    at,
    camera_violation,
    driver_account,
    owner_with_vehicle,
)
from vmo.core import clock
from vmo.core.models import Event
from vmo.notices.models import Message
from vmo.registry.models import PointsEntry
from vmo.registry.selectors import points_in_cycle
from vmo.violations import selectors, services
from vmo.violations.models import PenaltyDecision, ProxySuspect

NOW = datetime(2025, 8, 10, 10, 0, tzinfo=clock.OFFICE_TZ)
DRINK = "1712"  # 12 points, 1000-2000 yuan, counter only


@pytest.fixture(autouse=True)
def _frozen_english():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def owner(db):
    return owner_with_vehicle()


@pytest.fixture
def officer(db):
    return OfficerFactory(role="supervisor")


def _codes(exc):
    return [e.code for e in exc.value.error_dict["__all__"]]


def test_drink_driving_refused_online_decided_at_the_counter_r163_art_8(owner, officer):
    """R163 Art 8(1): drink driving, 12 points, handled only in person."""
    violation = camera_violation(owner.vehicle, code=DRINK, occurred_at=at(date(2025, 8, 1)))
    with pytest.raises(ValidationError) as exc:
        services.violation_handle(violation=violation, actor=owner.user)
    assert "code_counter" in _codes(exc) and "points" in _codes(exc)

    decision = services.violation_counter_decide(
        violation=violation,
        actor=officer,
        driver_id_number=owner.person.id_number,
        note="Driver present, ID card checked.",
    )
    assert (decision.channel, decision.decided_by, decision.licence) == (
        "counter",
        officer,
        owner.licence,
    )
    assert (decision.points, decision.fine_fen) == (12, violation.fine_fen)
    assert decision.payment_due == date(2025, 8, 25)  # RTSL Art 108: 15 days
    assert decision.number.startswith("65232025")
    entry = PointsEntry.objects.get(source_type="violation", source_id=str(violation.pk))
    assert (entry.points, entry.cycle_start) == (12, date(2025, 6, 1))
    owner.licence.refresh_from_db()
    assert "B" in owner.licence.status  # R163 Art 17: the full score
    violation.refresh_from_db()
    assert violation.handling_status == 1
    counter_event = Event.objects.get(action="decision.counter")
    assert counter_event.actor_id == officer.pk
    assert counter_event.reason == "Driver present, ID card checked."
    assert Event.objects.get(action="violation.handle").after["channel"] == "counter"
    # The holder, not the officer, is told of the decision, and may pay it.
    assert Message.objects.filter(kind="violation.decision", user=owner.user).count() == 1
    assert not Message.objects.filter(kind="violation.decision", user=officer).exists()
    assert selectors.violation_detail(owner.user, violation.pk).can_pay


def test_points_eleven_online_twelve_at_the_counter_r163_art_14(owner, officer):
    """R163 Art 14: online while the total stays below 12 (11 passes); 12 goes to a counter."""
    for _ in range(2):
        services.violation_handle(
            violation=camera_violation(owner.vehicle, code=PHONE), actor=owner.user
        )  # 6
    services.violation_handle(
        violation=camera_violation(owner.vehicle, code=PHONE), actor=owner.user
    )  # 9
    services.violation_handle(
        violation=camera_violation(owner.vehicle, code=SEAT_BELT), actor=owner.user
    )
    services.violation_handle(
        violation=camera_violation(owner.vehicle, code=SEAT_BELT), actor=owner.user
    )  # 11: below 12, online
    assert points_in_cycle(owner.licence) == 11
    at_twelve = camera_violation(owner.vehicle, code=SEAT_BELT)
    with pytest.raises(ValidationError) as exc:
        services.violation_handle(violation=at_twelve, actor=owner.user)
    assert _codes(exc) == ["points"]
    services.violation_counter_decide(
        violation=at_twelve, actor=officer, driver_id_number=owner.person.id_number
    )
    assert points_in_cycle(owner.licence) == 12
    # Above 12 too: the counter decides what the record says.
    above = camera_violation(owner.vehicle, code=PHONE)
    services.violation_counter_decide(
        violation=above, actor=officer, driver_id_number=owner.person.id_number
    )
    assert points_in_cycle(owner.licence) == 15


def test_fine_200_yuan_online_a_fen_above_at_the_counter_rp_art_52(owner, officer):
    """RP Art 52: the simple procedure up to 200 yuan; above it an officer decides."""
    at_limit = camera_violation(owner.vehicle, code=SEAT_BELT, fine_fen=20000)
    assert services.violation_handle(violation=at_limit, actor=owner.user).fine_fen == 20000
    above = camera_violation(owner.vehicle, code=SEAT_BELT, fine_fen=20001)
    with pytest.raises(ValidationError) as exc:
        services.violation_handle(violation=above, actor=owner.user)
    assert _codes(exc) == ["fine_limit"]
    decision = services.violation_counter_decide(
        violation=above, actor=officer, driver_id_number=owner.person.id_number
    )
    assert decision.fine_fen == 20001 and decision.channel == "counter"


def test_the_driver_present_may_be_someone_else_and_counter_decisions_are_not_proxy(owner, officer):
    """The decision goes on the licence of the driver present; counter decisions are made in
    person and do not count towards the anti-proxy list (DOMAIN §4)."""
    driver, licence = driver_account()
    for _ in range(3):
        record = camera_violation(owner_with_vehicle().vehicle, code=SEAT_BELT)
        decision = services.violation_counter_decide(
            violation=record, actor=officer, driver_id_number=driver.person.id_number
        )
        assert decision.licence == licence
    assert not ProxySuspect.objects.exists()


def test_every_problem_at_once_and_nothing_written(owner, officer):
    violation = camera_violation(owner.vehicle, code=DRINK)
    services.violation_counter_decide(
        violation=violation, actor=officer, driver_id_number=owner.person.id_number
    )
    with pytest.raises(ValidationError) as exc:
        services.violation_counter_decide(
            violation=violation,
            actor=officer,
            driver_id_number="652301199001011234",
            note="x" * 501,
        )
    errors = exc.value.message_dict
    assert "already been handled" in " ".join(errors["__all__"])
    assert errors["driver_id_number"] and errors["note"]
    assert PenaltyDecision.objects.count() == 1
