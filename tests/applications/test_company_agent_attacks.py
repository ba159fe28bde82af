"""An attacker's tries at what a company's agent may do for its vehicles' records (issue 12):
another company's agent, an authorisation ended, not begun or ending today (at the office's
midnight, Asia/Shanghai, not UTC's), company A's agent on company B's vehicle, a nomination of
nobody or replayed, a fine paid twice, a decision read by id, and a citizen who merely drives
a company vehicle. Each must change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tests.applications.test_api_applications import bearer
from tests.applications.test_company_agent_rights import (
    _assert_can_do_nothing,
    _client,
    _decided_by_the_driver,
    fleet,  # noqa: F401  (the fixture)
)
from tests.factories import CitizenFactory, CompanyFactory, VehicleFactory
from tests.registry.agents import authorise
from tests.violations.online_factories import camera_violation, driver_account
from tests.violations.test_services import _pay_in_sandbox
from vmo.core import clock
from vmo.notices.models import Message
from vmo.payments.models import PaymentOrder
from vmo.registry.services import agent_revoke
from vmo.violations import services
from vmo.violations.models import DriverNomination, VehicleBinding

pytestmark = pytest.mark.django_db


def test_another_companys_agent_can_do_nothing(fleet):  # noqa: F811
    other = CompanyFactory(name="乌鲁木齐市博格达物流有限公司")
    stranger = CitizenFactory()
    authorise(other, stranger.person)
    VehicleFactory(owner_person=None, owner_company=other)
    decision = _decided_by_the_driver(fleet)
    _assert_can_do_nothing(stranger, fleet)
    assert not PaymentOrder.objects.filter(subject_id=str(decision.pk)).exists()


def test_an_agent_of_a_for_company_bs_vehicle_cannot_act_on_it(fleet):  # noqa: F811
    other = CompanyFactory(name="乌鲁木齐市博格达物流有限公司")
    lorry = VehicleFactory(owner_person=None, owner_company=other)
    record = camera_violation(lorry)
    agent = fleet["agent"]
    assert _client(agent).get(f"/violations/{record.pk}/").status_code == 404
    with pytest.raises(ValidationError):
        services.nomination_create(
            violation=record,
            actor=agent,
            driver_id_number=fleet["driver"].person.id_number,
            driver_name=fleet["driver"].person.name,
        )
    assert not DriverNomination.objects.filter(violation=record).exists()


@pytest.mark.parametrize("days", [(-1, 1, 2), (1, 30, 0)], ids=["ended", "not_begun"])
def test_an_authorisation_not_running_today_gives_nothing(fleet, days):  # noqa: F811
    late = CitizenFactory()
    today = clock.today()
    authorise(
        fleet["company"],
        late.person,
        valid_from=today + timedelta(days=days[0]),
        valid_until=today + timedelta(days=days[1]),
    )
    _decided_by_the_driver(fleet)
    with time_machine.travel(clock.now() + timedelta(days=days[2]), tick=False):
        _assert_can_do_nothing(late, fleet)


def test_an_authorisation_ending_today_ends_at_the_offices_midnight(fleet):  # noqa: F811
    agent, driver = CitizenFactory(), fleet["driver"].person
    day = clock.today()
    authorise(fleet["company"], agent.person, valid_from=day - timedelta(days=3), valid_until=day)
    last_minute = datetime.combine(day, time(23, 59), tzinfo=clock.OFFICE_TZ)
    # 00:00:01 in Shanghai is still the same day in UTC (16:00:01): the office's day counts.
    after = datetime.combine(day + timedelta(days=1), time(0, 0, 1), tzinfo=clock.OFFICE_TZ)
    assert after.astimezone(UTC).date() == day
    violation = fleet["violation"]
    with time_machine.travel(after, tick=False):
        assert _client(agent).get(f"/violations/{violation.pk}/").status_code == 404
        with pytest.raises(ValidationError):
            services.nomination_create(
                violation=violation,
                actor=agent,
                driver_id_number=driver.id_number,
                driver_name=driver.name,
            )
    with time_machine.travel(last_minute, tick=False):
        assert _client(agent).get(f"/violations/{violation.pk}/").status_code == 200
        services.nomination_create(
            violation=violation,
            actor=agent,
            driver_id_number=driver.id_number,
            driver_name=driver.name,
        )
    assert DriverNomination.objects.filter(nominated_by=agent).count() == 1


def test_naming_nobody_or_naming_twice_writes_nothing(fleet):  # noqa: F811
    agent, violation = fleet["agent"], fleet["violation"]
    nobody = "11010519491231002X"  # a valid number no one on record holds
    with translation.override("en"), pytest.raises(ValidationError, match="No driver's licence"):
        services.nomination_create(
            violation=violation, actor=agent, driver_id_number=nobody, driver_name="张三"
        )
    # The agent drove but holds no licence: naming themselves is refused the same way.
    with translation.override("en"), pytest.raises(ValidationError, match="No driver's licence"):
        services.nomination_create(
            violation=violation,
            actor=agent,
            driver_id_number=agent.person.id_number,
            driver_name=agent.person.name,
        )
    assert not DriverNomination.objects.exists()
    client = _client(agent)
    body = {
        "driver_id_number": fleet["driver"].person.id_number,
        "driver_name": fleet["driver"].person.name,
    }
    assert client.post(f"/violations/{violation.pk}/", body).status_code == 302
    replay = client.post(f"/violations/{violation.pk}/", body)
    # Refused (the form is no longer offered, so the page says only who is awaited).
    assert replay.status_code == 200 and "once they confirm" in replay.content.decode()
    legal = fleet["legal"]
    with pytest.raises(ValidationError):
        services.nomination_create(
            violation=violation,
            actor=legal,
            driver_id_number=legal.person.id_number,
            driver_name=legal.person.name,
        )
    assert DriverNomination.objects.filter(violation=violation).count() == 1


def test_a_fine_paid_by_one_who_acts_for_the_company_cannot_be_paid_again(
    fleet,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    decision = _decided_by_the_driver(fleet)
    url = services.fine_pay_start(
        decision=decision, actor=fleet["agent"], return_url="http://testserver/x"
    )
    _pay_in_sandbox(url, django_capture_on_commit_callbacks)
    decision.refresh_from_db()
    assert decision.paid_at is not None
    for payer in (fleet["agent"], fleet["legal"], fleet["driver"]):
        with translation.override("en"), pytest.raises(ValidationError, match="already been paid"):
            services.fine_pay_start(decision=decision, actor=payer, return_url="http://t/x")
    assert PaymentOrder.objects.filter(subject_id=str(decision.pk)).count() == 1


def test_another_companys_decision_cannot_be_read_by_its_id(fleet):  # noqa: F811
    decision = _decided_by_the_driver(fleet)
    other = CompanyFactory(name="乌鲁木齐市博格达物流有限公司")
    stranger = CitizenFactory()
    authorise(other, stranger.person)
    own = camera_violation(VehicleFactory(owner_person=None, owner_company=other))
    client, auth = _client(stranger), bearer(stranger)
    assert client.get(f"/violations/{own.pk}/").status_code == 200
    for pk in (decision.violation_id, decision.pk):
        assert client.get(f"/violations/{pk}/decision.pdf").status_code == 404
        response = Client().get(f"/api/v1/violations/{pk}/decision.pdf", **auth)
        assert response.status_code == 404


def test_a_citizen_who_drives_a_company_vehicle_answers_only_for_themselves(fleet):  # noqa: F811
    bound, _licence = driver_account()
    VehicleBinding.objects.create(
        person=bound.person, vehicle=fleet["car"], bound_at=clock.now() - timedelta(days=10)
    )
    decision = _decided_by_the_driver(fleet)
    client = _client(bound)
    violation = fleet["violation"]
    assert client.get(f"/violations/{violation.pk}/").status_code == 200
    assert client.get(f"/violations/{violation.pk}/decision.pdf").status_code == 404
    with translation.override("en"), pytest.raises(ValidationError, match="can pay this fine"):
        services.fine_pay_start(decision=decision, actor=bound, return_url="http://t/x")
    fresh = camera_violation(fleet["car"])
    with translation.override("en"), pytest.raises(ValidationError, match="can name the driver"):
        services.nomination_create(
            violation=fresh,
            actor=bound,
            driver_id_number=fleet["driver"].person.id_number,
            driver_name=fleet["driver"].person.name,
        )
    assert not PaymentOrder.objects.filter(subject_id=str(decision.pk)).exists()


def test_an_agent_who_is_also_bound_to_the_company_vehicle_is_offered_what_the_service_allows(
    fleet,  # noqa: F811
):
    # The company's own driver is often its agent too: bound to the car (W03), they see the
    # record as "bound", and the page and the API must still offer naming the driver and paying,
    # which the services (violations.visibility.answers_for_owner) allow them.
    agent = fleet["agent"]
    VehicleBinding.objects.create(
        person=agent.person, vehicle=fleet["car"], bound_at=clock.now() - timedelta(days=10)
    )
    auth, violation = bearer(agent), fleet["violation"]
    detail = Client().get(f"/api/v1/violations/{violation.pk}", **auth).json()
    assert (detail["role"], detail["can_nominate"]) == ("bound", True)
    assert (
        "Someone else was driving"
        in _client(agent).get(f"/violations/{violation.pk}/").content.decode()
    )
    _decided_by_the_driver(fleet)
    detail = Client().get(f"/api/v1/violations/{violation.pk}", **auth).json()
    assert detail["can_pay"] is True
    assert "Pay ¥200.00" in _client(agent).get(f"/violations/{violation.pk}/").content.decode()


@pytest.mark.parametrize("answer", ["decline", "confirm", "expire"])
def test_how_a_nomination_ended_is_told_to_who_acts_for_the_company_now(fleet, answer):  # noqa: F811
    # The answer went to the agent who named the driver, even after their authorisation was
    # revoked, and the company's legal representative was never told.
    nomination = services.nomination_create(
        violation=fleet["violation"],
        actor=fleet["agent"],
        driver_id_number=fleet["driver"].person.id_number,
        driver_name=fleet["driver"].person.name,
    )
    agent_revoke(actor=None, authorisation=fleet["authorisation"], reason="left the company")
    if answer == "expire":
        with time_machine.travel(clock.now() + timedelta(days=60), tick=False):
            assert services.nominations_expire() == 1
    else:
        getattr(services, f"nomination_{answer}")(nomination=nomination, actor=fleet["driver"])
    kind = {"decline": "declined", "confirm": "confirmed", "expire": "expired"}[answer]
    told = set(
        Message.objects.filter(kind=f"violation.nomination_{kind}").values_list(
            "user_id", flat=True
        )
    )
    assert told == {fleet["legal"].pk}
