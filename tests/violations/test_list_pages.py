"""The citizen's list of violation records is paged (issue 13: a heavy-tailed owner of the
generated city has 284 records, all read, judged and drawn on one page), with the records still
to deal with first, whatever their age."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from tests.factories import CitizenFactory, LicenceFactory, VehicleFactory
from tests.status.factories import ViolationFactory
from vmo.core.clock import OFFICE_TZ
from vmo.violations.selectors import LIST_PAGE_SIZE

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"  # CitizenFactory's
START = datetime(2025, 3, 1, 9, 30, tzinfo=OFFICE_TZ)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2025, 6, 15, 10, 0, tzinfo=OFFICE_TZ), tick=False):
        yield


@pytest.fixture
def owner():
    citizen = CitizenFactory()
    LicenceFactory(holder=citizen.person, valid_to=date(2026, 8, 1))
    vehicle = VehicleFactory(owner_person=citizen.person)
    # The three oldest are not handled yet; the 22 newer ones are.
    for n in range(25):
        ViolationFactory(
            vehicle=vehicle,
            record_id=f"PAGE{n:04d}",
            handling_status=0 if n < 3 else 1,
            occurred_at=START + timedelta(hours=n),
        )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert (
        client.post(
            "/accounts/login/", {"identifier": citizen.person.phone, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


def _times(body: str) -> list[str]:
    return re.findall(r"· (\d{4}-\d\d-\d\d \d\d:\d\d)</h2>", body)


def test_the_first_page_holds_the_records_to_deal_with_then_the_newest(owner):
    page = owner.get("/violations/").content.decode()
    times = _times(page)
    assert len(times) == LIST_PAGE_SIZE == 20
    oldest_three = [(START + timedelta(hours=n)).strftime("%Y-%m-%d %H:%M") for n in (2, 1, 0)]
    assert times[:3] == oldest_three  # not handled: first, though they are the oldest
    assert times[3] == (START + timedelta(hours=24)).strftime("%Y-%m-%d %H:%M")
    assert "Page 1 of 2" in page
    assert 'rel="next"' in page


def test_the_second_page_holds_the_rest_and_a_wrong_number_reads_a_page(owner):
    first = set(_times(owner.get("/violations/").content.decode()))
    second = _times(owner.get("/violations/?page=2").content.decode())
    assert len(second) == 5 and not first & set(second)
    assert _times(owner.get("/violations/?page=x").content.decode())  # the first page
    assert len(_times(owner.get("/violations/?page=99").content.decode())) == 5  # the last
