"""Query-count guards (issue 13): every citizen page and API costs the same, small number of
queries whether the citizen has few records or many. Each test builds two citizens, one with one
record of each kind and one with many, and asserts equal counts within the budget."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import CitizenFactory, LicenceFactory, VehicleFactory
from tests.status.factories import ApplicationFactory, ViolationFactory
from vmo.core.clock import OFFICE_TZ
from vmo.notices.services import inbox_post
from vmo.registry.models import PointsEntry

pytestmark = pytest.mark.django_db

BUDGET = 8  # the goal for every citizen page and API
PASSWORD = "Correct-Horse-42"  # CitizenFactory's


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2025, 6, 15, 10, 0, tzinfo=OFFICE_TZ), tick=False):
        yield


def _citizen(records: int):
    citizen = CitizenFactory()
    licence = LicenceFactory(holder=citizen.person, valid_to=date(2026, 8, 1))
    for _n in range(records):
        PointsEntry.objects.create(
            licence=licence,
            cycle_start=date(2025, 6, 1),
            occurred_on=date(2025, 6, 3),
            points=1,
            kind="violation",
        )
    for _n in range(max(1, records // 4)):
        vehicle = VehicleFactory(owner_person=citizen.person)
        for m in range(records):
            ViolationFactory(
                vehicle=vehicle,
                fine_fen=5000,
                handling_status=m % 2,
                occurred_at=datetime(2025, 3, 1, 9, 30, tzinfo=OFFICE_TZ) + timedelta(hours=m),
            )
    for n in range(records):
        ApplicationFactory(applicant=citizen, status="submitted")
        inbox_post(user=citizen, kind="general", subject=f"Message {n}", body="Hello")
    return citizen


def _signed_in(citizen) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        "/accounts/login/", {"identifier": citizen.person.phone, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _count(client: Client, path: str) -> int:
    client.get(path)  # warm: per-process caches, lazily loaded catalogues
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


PAGES = [
    "/me/",
    "/api/v1/me/status",
    "/violations/",
    "/applications/",
    "/me/messages/",
    "/api/v1/me/messages/",
    "/api/v1/me/messages/unread-count",
    "/api/v1/violations",
    "/api/v1/applications/",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_citizen_page_costs_the_same_few_queries_however_many_records(path):
    few = _count(_signed_in(_citizen(1)), path)
    many = _count(_signed_in(_citizen(12)), path)
    print("COUNT", path, few, many)
    assert few == many, f"{path}: {few} queries with few records, {many} with many"
    assert many <= BUDGET, f"{path}: {many} queries, budget {BUDGET}"


def test_the_user_person_and_licence_come_in_one_query():
    client = _signed_in(_citizen(1))
    client.get("/me/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/me/")
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any(s.startswith('SELECT "registry_person"') for s in sql)
    assert not any(s.startswith('SELECT "registry_driverlicence"') for s in sql)
    (user_query,) = [
        s for s in sql if 'FROM "accounts_user"' in s and "registry_driverlicence" in s
    ]
    assert "registry_person" in user_query


def test_an_inactive_user_is_signed_out_still():
    citizen = _citizen(1)
    client = _signed_in(citizen)
    type(citizen).objects.filter(pk=citizen.pk).update(is_active=False)
    response = client.get("/me/")
    assert response.status_code == 302


def test_status_words_are_computed_once_per_language():
    from django.utils import translation

    from vmo.status.selectors import licence_words

    with translation.override("en"):
        first = licence_words("A")
        assert licence_words("A")[0] is first[0]
    with translation.override("zh-hans"):
        chinese = licence_words("A")[0]
    assert chinese is not first[0] and chinese.name != first[0].name


def test_office_configuration_is_held_in_process_and_dropped_on_change(
    django_assert_num_queries,
):
    from django.core.cache import cache

    from vmo.core.selectors import OFFICE_CONFIG_CACHE_KEY, office_config
    from vmo.core.services import office_config_update

    office_config()
    cache.delete(OFFICE_CONFIG_CACHE_KEY)  # even with the shared cache gone:
    with django_assert_num_queries(0):
        held = office_config()
    assert office_config() is held
    office_config_update(actor=None, plate_attempts=held.plate_attempts + 1)
    assert office_config().plate_attempts == held.plate_attempts + 1
