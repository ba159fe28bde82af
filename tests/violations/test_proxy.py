"""The anti-proxy list (DOMAIN §4, the platform's rule; the limits are office configuration):
within a year, one driver handling 3 or more different vehicles not their own, or 3 or more
drivers other than the owner handling one vehicle, is listed and online handling suspended
until an officer clears it. Nominations the driver never answers expire. Frozen clock; the
edges: two, three and four; the day a year back, and the day before it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import OfficerFactory
from tests.violations.online_factories import (
    SEAT_BELT,
    at,
    camera_violation,
    driver_account,
    owner_with_vehicle,
)
from vmo.core import clock
from vmo.core.models import Event
from vmo.core.services import office_config_update
from vmo.notices.models import Message
from vmo.violations import services
from vmo.violations.choices import NominationStatus
from vmo.violations.models import ProxySuspect, VehicleBinding

NOW = datetime(2025, 8, 10, 10, 0, tzinfo=clock.OFFICE_TZ)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _bind(user, vehicle):
    VehicleBinding.objects.create(
        person=user.person, vehicle=vehicle, bound_at=datetime(2024, 1, 1, tzinfo=clock.OFFICE_TZ)
    )


def _handle_at(when: datetime, vehicle, user):
    """A record of `vehicle` handled online by `user` at `when` (the violation a day before)."""
    with time_machine.travel(when, tick=False):
        violation = camera_violation(vehicle, code=SEAT_BELT, occurred_at=when - timedelta(days=1))
        return services.violation_handle(violation=violation, actor=user)


def _cars(n):
    return [owner_with_vehicle() for _ in range(n)]


@pytest.mark.django_db
def test_driver_listed_at_three_non_own_vehicles_not_at_two_and_the_fourth_refused():
    """DOMAIN §4 anti-proxy (driver): 2 vehicles no listing, the 3rd lists, the 4th is refused."""
    driver, _ = driver_account()
    owners = _cars(4)
    for o in owners:
        _bind(driver, o.vehicle)
    _handle_at(NOW - timedelta(days=20), owners[0].vehicle, driver)
    _handle_at(NOW - timedelta(days=10), owners[1].vehicle, driver)
    # The same vehicle twice is still two vehicles.
    _handle_at(NOW - timedelta(days=5), owners[1].vehicle, driver)
    assert not ProxySuspect.objects.exists()

    _handle_at(NOW, owners[2].vehicle, driver)  # the third: handled, then listed
    suspect = ProxySuspect.objects.get()
    assert (suspect.kind, suspect.person, suspect.cleared_at) == ("driver", driver.person, None)
    assert len(suspect.evidence["vehicles"]) == 3 and len(suspect.evidence["decisions"]) == 4
    assert Event.objects.filter(action="proxy.list").count() == 1
    assert Message.objects.filter(kind="violation.proxy_driver", user=driver).exists()

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        fourth = camera_violation(owners[3].vehicle, code=SEAT_BELT)
        with pytest.raises(ValidationError) as exc:
            services.violation_handle(violation=fourth, actor=driver)
    assert [e.code for e in exc.value.error_dict["__all__"]] == ["proxy_driver"]
    assert ProxySuspect.objects.count() == 1  # listed once


@pytest.mark.django_db
def test_the_year_counts_from_the_same_date_a_year_back_and_not_the_day_before():
    """DOMAIN §4: "within a year" includes the day a year back (以内), not the day before it."""
    driver, _ = driver_account(first_issue_date=date(2010, 3, 1))
    owners = _cars(3)
    for o in owners:
        _bind(driver, o.vehicle)
    # The first handled on 2024-08-09: one year and one day before 2025-08-10, out of the year.
    _handle_at(datetime(2024, 8, 9, 23, 0, tzinfo=clock.OFFICE_TZ), owners[0].vehicle, driver)
    _handle_at(NOW - timedelta(days=2), owners[1].vehicle, driver)
    _handle_at(NOW, owners[2].vehicle, driver)
    assert not ProxySuspect.objects.exists()

    other, _ = driver_account(first_issue_date=date(2010, 3, 1))
    more = _cars(3)
    for o in more:
        _bind(other, o.vehicle)
    # 2024-08-10 00:00: the same date a year back, still within.
    _handle_at(datetime(2024, 8, 10, 0, 0, tzinfo=clock.OFFICE_TZ), more[0].vehicle, other)
    _handle_at(NOW - timedelta(days=2), more[1].vehicle, other)
    _handle_at(NOW, more[2].vehicle, other)
    assert ProxySuspect.objects.get().person == other.person


@pytest.mark.django_db
def test_own_vehicles_never_count_and_the_limit_is_configuration():
    """DOMAIN §4: only vehicles not one's own count; the office may set the number."""
    owner = owner_with_vehicle()
    for _ in range(3):
        _handle_at(NOW, owner.vehicle, owner.user)
    assert not ProxySuspect.objects.exists()

    office_config_update(actor=None, proxy_vehicles_per_driver=2)
    driver, _ = driver_account()
    owners = _cars(2)
    for o in owners:
        _bind(driver, o.vehicle)
    _handle_at(NOW - timedelta(days=1), owners[0].vehicle, driver)
    assert not ProxySuspect.objects.exists()
    _handle_at(NOW, owners[1].vehicle, driver)
    assert ProxySuspect.objects.get().kind == "driver"


@pytest.mark.django_db
def test_vehicle_listed_when_three_drivers_other_than_the_owner_handle_it():
    """DOMAIN §4 anti-proxy (vehicle): two other drivers and the owner do not list it; a third
    other driver does, and then even the owner handles its records at a counter."""
    owner = owner_with_vehicle()
    drivers = [driver_account()[0] for _ in range(3)]
    for d in drivers:
        _bind(d, owner.vehicle)
    _handle_at(NOW - timedelta(days=30), owner.vehicle, owner.user)
    _handle_at(NOW - timedelta(days=20), owner.vehicle, drivers[0])
    _handle_at(NOW - timedelta(days=10), owner.vehicle, drivers[1])
    assert not ProxySuspect.objects.exists()

    _handle_at(NOW, owner.vehicle, drivers[2])
    suspect = ProxySuspect.objects.get()
    assert (suspect.kind, suspect.vehicle) == ("vehicle", owner.vehicle)
    assert sorted(suspect.evidence["drivers"]) == sorted(d.person.pk for d in drivers)
    assert Message.objects.filter(kind="violation.proxy_vehicle", user=owner.user).exists()
    with time_machine.travel(NOW, tick=False):
        record = camera_violation(owner.vehicle, code=SEAT_BELT)
        with pytest.raises(ValidationError) as exc:
            services.violation_handle(violation=record, actor=owner.user)
    assert [e.code for e in exc.value.error_dict["__all__"]] == ["proxy_vehicle"]


@pytest.mark.django_db
def test_an_officer_clears_the_case_with_a_reason_and_the_year_counts_afresh():
    """DOMAIN §4: suspended until an officer clears it; the clearing is in the history."""
    driver, _ = driver_account()
    owners = _cars(5)
    for o in owners:
        _bind(driver, o.vehicle)
    for k in range(3):
        _handle_at(NOW - timedelta(days=3 - k), owners[k].vehicle, driver)
    suspect = ProxySuspect.objects.get()
    officer = OfficerFactory(role="supervisor")
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError, match="Give the reason"):
            services.proxy_suspect_clear(suspect=suspect, actor=officer, reason="  ")
        services.proxy_suspect_clear(
            suspect=suspect, actor=officer, reason="Family cars, checked in person."
        )
        with pytest.raises(ValidationError, match="already been cleared"):
            services.proxy_suspect_clear(suspect=suspect, actor=officer, reason="again")
    suspect.refresh_from_db()
    assert suspect.cleared_by == officer and suspect.cleared_at == NOW
    event = Event.objects.get(action="proxy.clear")
    assert event.reason == "Family cars, checked in person." and event.actor_id == officer.pk

    # Handling is open again, and the cleared decisions do not count again.
    _handle_at(NOW + timedelta(days=1), owners[3].vehicle, driver)
    _handle_at(NOW + timedelta(days=2), owners[4].vehicle, driver)
    assert ProxySuspect.objects.filter(cleared_at__isnull=True).count() == 0


# --- Nominations the driver never answers -------------------------------------------------------


@pytest.mark.django_db
def test_a_nomination_expires_the_day_after_its_last_day_and_the_owner_is_told():
    """The named driver answers within the office's days (15 by default [U]); on the last day
    the answer still counts, the day after the nomination expires; a second run changes nothing."""
    owner = owner_with_vehicle()
    driver, _ = driver_account()
    with time_machine.travel(NOW, tick=False):
        violation = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 1)))
        nomination = services.nomination_create(
            violation=violation,
            actor=owner.user,
            driver_id_number=driver.person.id_number,
            driver_name=driver.person.name,
        )
    assert services.nomination_answer_by(created_at=nomination.created_at) == date(2025, 8, 25)
    with time_machine.travel(datetime(2025, 8, 25, 23, 0, tzinfo=clock.OFFICE_TZ), tick=False):
        assert services.nominations_expire() == 0
    with time_machine.travel(datetime(2025, 8, 26, 0, 30, tzinfo=clock.OFFICE_TZ), tick=False):
        with pytest.raises(ValidationError, match="time to answer"):
            services.nomination_confirm(nomination=nomination, actor=driver)
        assert services.nominations_expire() == 1
        assert services.nominations_expire() == 0
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.EXPIRED
    assert Message.objects.filter(kind="violation.nomination_expired", user=owner.user).count() == 1
    assert Event.objects.filter(action="violation.nomination_expired").count() == 1
    # The record is the owner's again.
    with time_machine.travel(datetime(2025, 8, 26, 9, 0, tzinfo=clock.OFFICE_TZ), tick=False):
        decision = services.violation_handle(violation=violation, actor=owner.user)
    assert decision.licence == owner.licence


@pytest.mark.django_db
def test_a_nomination_answered_on_its_last_day_is_confirmed():
    owner = owner_with_vehicle()
    driver, licence = driver_account()
    with time_machine.travel(NOW, tick=False):
        violation = camera_violation(owner.vehicle, occurred_at=at(date(2025, 8, 1)))
        nomination = services.nomination_create(
            violation=violation,
            actor=owner.user,
            driver_id_number=driver.person.id_number,
            driver_name=driver.person.name,
        )
    with time_machine.travel(datetime(2025, 8, 25, 20, 0, tzinfo=clock.OFFICE_TZ), tick=False):
        decision = services.nomination_confirm(nomination=nomination, actor=driver)
    assert decision.licence == licence
