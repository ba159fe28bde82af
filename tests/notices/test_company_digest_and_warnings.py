"""The daily SMS digest of new records and education's targeted warnings reach a company's
vehicles as the vehicle scans do: everyone who acts for the owning company that day (its legal
representative and its agents under a current authorisation; registry.company_selectors), each
person once, and nobody else."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import translation

from tests.factories import CitizenFactory, CompanyFactory, VehicleFactory
from tests.registry.agents import authorise
from tests.violations.online_factories import camera_violation
from vmo.core import clock
from vmo.education import services as education
from vmo.education.models import WarningHit
from vmo.notices.models import Message
from vmo.notices.scans import scans_run
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
    """A company with its legal representative (also a current agent of it), a current agent,
    an agent whose letter ended yesterday, and one named but never authorised."""
    company = CompanyFactory()
    legal, agent, ended, named = (CitizenFactory() for _ in range(4))
    # Authorised as an agent before the registry named them its legal representative.
    authorise(company, legal.person, valid_from=DAY - timedelta(days=3), valid_until=DAY)
    CompanyRepresentative.objects.filter(company=company, person=legal.person).update(role="legal")
    CompanyRepresentative.objects.create(company=company, person=named.person, role="agent")
    authorise(company, agent.person, valid_from=DAY - timedelta(days=10), valid_until=DAY)
    with time_machine.travel(NOW - timedelta(days=20), tick=False):
        authorise(
            company,
            ended.person,
            valid_from=DAY - timedelta(days=20),
            valid_until=DAY - timedelta(days=1),
        )
    return {"company": company, "legal": legal, "agent": agent, "not_told": [ended, named]}


def _entered_yesterday(vehicle, hour: int = 9):
    violation = camera_violation(vehicle)
    entered = datetime.combine(DAY - timedelta(days=1), datetime.min.time(), clock.OFFICE_TZ)
    type(violation).objects.filter(pk=violation.pk).update(
        recorded_at=entered + timedelta(hours=hour)
    )
    return violation


def test_the_new_records_digest_reaches_each_person_acting_for_the_company_once(firm):
    """RP Art 20: the SMS of the day before's records goes to a company's people as to an
    owner; the legal representative who is also the company's agent, and owns a car of their
    own with a record, gets one SMS counting every record once."""
    truck = VehicleFactory(owner_person=None, owner_company=firm["company"])
    van = VehicleFactory(owner_person=None, owner_company=firm["company"])
    own = VehicleFactory(owner_person=firm["legal"].person)
    for vehicle in (truck, truck, van, own):
        _entered_yesterday(vehicle)
    kind = "violations.new_digest"
    assert scans_run(day=DAY, codes=[kind]) == {kind: 2}
    sms = {m.recipient: m.body for m in Message.objects.filter(kind=kind, channel="sms")}
    assert set(sms) == {firm["legal"].person.phone, firm["agent"].person.phone}
    assert "有4条新的违法记录" in sms[firm["legal"].person.phone]
    assert "有3条新的违法记录" in sms[firm["agent"].person.phone]
    assert scans_run(day=DAY, codes=[kind]) == {kind: 0}


def test_the_safety_warnings_reach_each_person_acting_for_the_company_once(firm):
    truck = VehicleFactory(
        owner_person=None,
        owner_company=firm["company"],
        inspection_valid_until=DAY - timedelta(days=120),
    )
    for hours in (1, 2, 3):
        camera_violation(truck, occurred_at=NOW - timedelta(days=2, hours=hours))
    counts = education.warnings_scan(today=DAY)
    # Two people for each of the three vehicle rules, the legal representative once.
    assert counts == {"vehicle_unhandled": 2, "inspection_overdue": 2, "same_place": 2}
    for user in (firm["legal"], firm["agent"]):
        kinds = set(Message.objects.filter(user=user).values_list("kind", flat=True))
        assert kinds == {
            "warnings.vehicle_unhandled",
            "warnings.inspection_overdue",
            "warnings.same_place",
        }
        assert WarningHit.objects.filter(person=user.person).count() == 3
    assert not Message.objects.filter(user__in=firm["not_told"]).exists()
    assert education.warnings_scan(today=DAY) == {}
