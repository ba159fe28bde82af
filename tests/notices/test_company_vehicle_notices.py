"""A company's vehicles are told like a person's: every vehicle scan reaches everyone who acts
for the owning company on the day (its legal representative and its agents under a current
authorisation, R164 Art 86; registry.company_selectors), once each, and nobody else."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from tests.factories import (
    CitizenFactory,
    CompanyFactory,
    OfficerFactory,
    PersonFactory,
    VehicleFactory,
)
from tests.registry.agents import authorise
from vmo.core import clock
from vmo.notices.models import Message
from vmo.notices.scans import scans_run
from vmo.office import scrap as office_scrap
from vmo.registry.models import CompanyRepresentative

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

DAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=clock.OFFICE_TZ)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield


@pytest.fixture
def firm():
    """A company with its legal representative, a current agent, an agent whose letter ended
    yesterday, one whose letter starts tomorrow, and one named but never authorised."""
    company = CompanyFactory()
    legal, agent, ended, later, named = (CitizenFactory() for _ in range(5))
    CompanyRepresentative.objects.create(company=company, person=legal.person, role="legal")
    CompanyRepresentative.objects.create(company=company, person=named.person, role="agent")
    authorise(company, agent.person, valid_from=DAY - timedelta(days=10), valid_until=DAY)
    with time_machine.travel(NOW - timedelta(days=20), tick=False):
        authorise(
            company,
            ended.person,
            valid_from=DAY - timedelta(days=20),
            valid_until=DAY - timedelta(days=1),
        )
    authorise(company, later.person, valid_from=DAY + timedelta(days=1))
    return {
        "company": company,
        "told": [legal, agent],
        "not_told": [ended, later, named],
    }


VEHICLE_CASES = [
    ("vehicle.inspection_due", {"inspection_valid_until": DAY + timedelta(days=60)}),
    ("vehicle.inspection_overdue", {"inspection_valid_until": DAY - timedelta(days=5)}),
    ("vehicle.forced_cancellation_near", {"inspection_valid_until": DAY - timedelta(days=800)}),
    ("vehicle.scrap_age", {"scrap_date": DAY + timedelta(days=80)}),
    ("vehicle.compulsory_scrap_reached", {"inspection_valid_until": DAY - timedelta(days=2300)}),
    ("vehicle.insurance_ending", {"insurance_valid_until": DAY + timedelta(days=20)}),
]


@pytest.mark.parametrize(("kind", "fields"), VEHICLE_CASES, ids=[c[0] for c in VEHICLE_CASES])
def test_a_company_vehicle_is_told_to_everyone_acting_for_the_company_once(firm, kind, fields):
    vehicle = VehicleFactory(owner_person=None, owner_company=firm["company"], **fields)
    owner = CitizenFactory()
    VehicleFactory(owner_person=owner.person, **fields)  # a person's: told to the owner as before
    VehicleFactory(owner_person=None, owner_company=CompanyFactory(), scrap_date=None)

    assert scans_run(day=DAY, codes=[kind]) == {kind: 6}  # in-app and SMS, three people
    plate = vehicle.plates.get().display
    when = next(iter(fields.values())).isoformat()
    for user in firm["told"]:
        message = Message.objects.get(user=user, channel="inapp", kind=kind)
        assert plate in message.subject + message.body and when in message.body
    told_phones = {u.person.phone for u in [*firm["told"], owner]}
    sms = Message.objects.filter(kind=kind, channel="sms")
    assert {m.recipient for m in sms} == told_phones
    assert not Message.objects.filter(user__in=firm["not_told"]).exists()
    assert scans_run(day=DAY, codes=[kind]) == {kind: 0}


def test_a_company_without_anyone_acting_for_it_tells_nobody_and_its_agent_is_told_on_the_day():
    company = CompanyFactory()
    agent = CitizenFactory()
    VehicleFactory(
        owner_person=None,
        owner_company=company,
        insurance_valid_until=DAY + timedelta(days=20),
    )
    kind = "vehicle.insurance_ending"
    assert scans_run(day=DAY, codes=[kind]) == {kind: 0}
    authorise(company, agent.person, valid_from=DAY + timedelta(days=1))
    assert scans_run(day=DAY, codes=[kind]) == {kind: 0}  # the letter starts tomorrow
    assert scans_run(day=DAY + timedelta(days=1), codes=[kind]) == {kind: 2}


def test_a_company_vehicle_told_of_compulsory_scrapping_is_on_the_officers_worklist():
    """强制报废标准 Art 4(4), R164 Art 41(1): the period before the office may void the
    certificates runs from the day the company was told, as for a person's vehicle."""
    company = CompanyFactory()
    legal = PersonFactory()  # no account: told by SMS at the phone on record
    CompanyRepresentative.objects.create(company=company, person=legal, role="legal")
    truck = VehicleFactory(
        owner_person=None,
        owner_company=company,
        vehicle_type="H21",
        use_nature="F",
        registration_date=date(2018, 3, 15),
        inspection_valid_until=date(2022, 3, 31),
    )
    kind = "vehicle.compulsory_scrap_reached"
    day = date(2025, 4, 1)
    with time_machine.travel(datetime(2025, 4, 1, 9, tzinfo=clock.OFFICE_TZ), tick=False):
        assert scans_run(day=day - timedelta(days=1), codes=[kind]) == {kind: 0}
        assert office_scrap.scrap_worklist(day) == []
        assert scans_run(day=day, codes=[kind]) == {kind: 1}
        [case] = office_scrap.scrap_worklist(day)
    assert Message.objects.get(kind=kind).recipient == legal.phone
    assert (case.vehicle.pk, case.told_on) == (truck.pk, day)
    assert case.may_void_from == day + timedelta(days=31)


def test_the_office_voids_a_company_vehicle_and_tells_those_acting_for_the_company():
    """R164 Art 41(1): told on 2025-04-01, not cancelled by the 30th day, the supervisor's
    confirmation on 2025-05-02 voids the certificates and tells the company's people."""
    company = CompanyFactory()
    legal = CitizenFactory()
    CompanyRepresentative.objects.create(company=company, person=legal.person, role="legal")
    truck = VehicleFactory(
        owner_person=None,
        owner_company=company,
        vehicle_type="H21",
        use_nature="F",
        registration_date=date(2018, 3, 15),
        inspection_valid_until=date(2022, 3, 31),
    )
    with time_machine.travel(datetime(2025, 4, 1, 9, tzinfo=clock.OFFICE_TZ), tick=False):
        scans_run(day=date(2025, 4, 1), codes=["vehicle.compulsory_scrap_reached"])
    with time_machine.travel(datetime(2025, 5, 2, 9, tzinfo=clock.OFFICE_TZ), tick=False):
        agent = CitizenFactory()
        authorise(company, agent.person)
        office_scrap.scrap_void_confirm(
            vehicle_id=truck.pk, actor=OfficerFactory(role="supervisor")
        )
    truck.refresh_from_db()
    assert "P" in truck.status
    told = Message.objects.filter(kind="vehicle.scrap_void", channel="inapp")
    assert {m.user_id for m in told} == {legal.pk, agent.pk}


def test_an_unhandled_record_of_a_company_vehicle_is_told_to_those_acting_for_it(firm):
    """RP Art 20: a record still unhandled 15 days after entry is told to the owner; for a
    company's vehicle, to its legal representative and its current agents, once each."""
    from tests.violations.online_factories import camera_violation

    vehicle = VehicleFactory(owner_person=None, owner_company=firm["company"])
    violation = camera_violation(vehicle)
    entered = datetime.combine(DAY - timedelta(days=15), datetime.min.time(), clock.OFFICE_TZ)
    type(violation).objects.filter(pk=violation.pk).update(recorded_at=entered)
    kind = "violations.unhandled_15_days"
    assert scans_run(day=DAY, codes=[kind]) == {kind: 4}
    for user in firm["told"]:
        message = Message.objects.get(user=user, channel="inapp", kind=kind)
        assert violation.record_id in message.body
    assert not Message.objects.filter(user__in=firm["not_told"]).exists()
    assert scans_run(day=DAY, codes=[kind]) == {kind: 0}
