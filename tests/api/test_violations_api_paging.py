"""The citizens' violations API list is paged in the database, like the page: a vehicle with
dozens of records costs one page of them, newest first."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.violations.online_factories import at, camera_violation, owner_with_vehicle
from vmo.core import clock

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 8, 10, 10, 0, tzinfo=clock.OFFICE_TZ)
BASE = "/api/v1"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def owner():
    return owner_with_vehicle()


@pytest.fixture
def as_owner(owner, bearer):
    return {**bearer(owner.user), "HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_list_is_paged_in_the_database_and_reads_only_its_page(client, owner, as_owner):
    """Some vehicles hold dozens of records: the list counts them and reads one page, newest
    first, the next page going on where the first ended; only the page's records are read
    with their facts (the annotated query names as many ids as the page holds)."""
    made = [
        camera_violation(owner.vehicle, occurred_at=at(date(2025, 7, 1) + timedelta(days=n)))
        for n in range(7)
    ]
    newest_first = [v.pk for v in reversed(made)]
    first = client.get(f"{BASE}/violations?page_size=3", **as_owner).json()
    with CaptureQueriesContext(connection) as queries:
        second = client.get(f"{BASE}/violations?page_size=3&page=2", **as_owner).json()
    sql = [q["sql"] for q in queries.captured_queries]  # the next request resets the log
    last = client.get(f"{BASE}/violations?page_size=3&page=3", **as_owner).json()
    assert (first["count"], second["count"], last["count"]) == (7, 7, 7)
    pages = [[item["id"] for item in page["items"]] for page in (first, second, last)]
    assert pages == [newest_first[:3], newest_first[3:6], newest_first[6:]]
    (facts,) = [q for q in sql if "EXISTS" in q.upper()]
    listed = re.search(r'"violations_violation"."id" IN \((\d+(?:, ?\d+)*)\)', facts)
    assert listed is not None
    assert {int(pk) for pk in listed.group(1).split(",")} == set(pages[1])
