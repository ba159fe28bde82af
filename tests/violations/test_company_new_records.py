"""A new camera record on a company's vehicle puts one in-app message per record in the inbox of
everyone who acts for the company that day (R164 Art 86; RP Art 20 by app), as an owner gets for
their own vehicle: the legal representative, each agent whose authorisation runs that day (its
first and last day included), each once however many ways they act for it; nobody else. Tested
the day before, the first day, the last day and the day after an authorisation."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine

from tests.factories import CitizenFactory, CompanyFactory, VehicleFactory
from tests.registry.agents import authorise
from vmo.core import clock
from vmo.notices.models import Message
from vmo.registry.models import CompanyRepresentative
from vmo.violations.choices import IntakeChannel
from vmo.violations.intake import intake_records

from .intake_helpers import csv_rows, record

pytestmark = pytest.mark.django_db

FROM, UNTIL = date(2026, 3, 10), date(2026, 3, 20)


def at(day: date) -> time_machine.travel:
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), clock.OFFICE_TZ) + timedelta(hours=12),
        tick=False,
    )


@pytest.fixture
def firm():
    """A company, its legal representative (also its agent), an agent from FROM to UNTIL, one
    named but never authorised, and a truck of the company."""
    company = CompanyFactory()
    legal, agent, named = (CitizenFactory() for _ in range(3))
    with at(FROM - timedelta(days=5)):
        authorise(company, legal.person, valid_from=FROM - timedelta(days=5), valid_until=UNTIL)
        authorise(company, agent.person, valid_from=FROM, valid_until=UNTIL)
    CompanyRepresentative.objects.filter(company=company, person=legal.person).update(role="legal")
    CompanyRepresentative.objects.create(company=company, person=named.person, role="agent")
    VehicleFactory(owner_person=None, owner_company=company, plate="新B23456")
    return {"legal": legal, "agent": agent, "named": named}


def _deliver(day: date, *numbers: int) -> None:
    rows = [record(n, plate_number="新B23456") for n in numbers]
    with at(day):
        intake_records(rows=csv_rows(rows), channel=IntakeChannel.COMMAND, source_name="t.csv")


def _told(user) -> int:
    return Message.objects.filter(user=user, kind="violation.new", channel="inapp").count()


@pytest.mark.parametrize(
    "day, agent_told",
    [
        (FROM - timedelta(days=1), False),
        (FROM, True),
        (UNTIL, True),
        (UNTIL + timedelta(days=1), False),
    ],
)
def test_each_person_acting_for_the_company_that_day_gets_each_record_r164_art_86(
    firm, day, agent_told
):
    """R164 Art 86: two records, told per record to the legal representative always (once,
    though also an agent), to the agent only while the authorisation runs, never to one named
    without it; a delivery sent again tells nobody twice."""
    _deliver(day, 1, 2)
    _deliver(day, 1, 2)
    assert _told(firm["legal"]) == 2
    assert _told(firm["agent"]) == (2 if agent_told else 0)
    assert _told(firm["named"]) == 0
    keys = set(
        Message.objects.filter(user=firm["legal"], kind="violation.new").values_list(
            "dedup_key", flat=True
        )
    )
    person = firm["legal"].person.pk
    assert keys == {f"violation.new:{record(n)['record_id']}:p{person}:inapp" for n in (1, 2)}
