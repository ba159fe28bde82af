from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory, VehicleFactory
from tests.status.factories import ApplicationFactory, ViolationFactory
from vmo.accounts.services import api_token_create, api_token_revoke
from vmo.core.clock import OFFICE_TZ
from vmo.core.services import data_access_record
from vmo.registry.models import PointsEntry

pytestmark = pytest.mark.django_db

STATUS = "/api/v1/me/status"
DATA_ACCESS = "/api/v1/me/data-access"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2025, 6, 15, 10, 0, tzinfo=OFFICE_TZ), tick=False):
        yield


def test_status_with_a_token_is_the_same_status_as_the_page(client, bearer):
    citizen = CitizenFactory()
    licence = LicenceFactory(holder=citizen.person, valid_to=date(2025, 8, 1))
    PointsEntry.objects.create(
        licence=licence,
        cycle_start=date(2025, 6, 1),
        occurred_on=date(2025, 6, 3),
        points=6,
        kind="violation",
    )
    vehicle = VehicleFactory(owner_person=citizen.person, plate="新B12345", flags="G", status="G")
    ViolationFactory(vehicle=vehicle, fine_fen=15000)
    ApplicationFactory(applicant=citizen, status="submitted")
    response = client.get(STATUS, **bearer(citizen), **EN)
    assert response.status_code == 200
    body = response.json()
    assert body["licence"]["points"] == 6 and body["licence"]["cycle_start"] == "2025-06-01"
    assert (
        body["licence"]["renewal_window_open"] is True and body["licence"]["days_to_expiry"] == 47
    )
    assert [s["code"] for s in body["licence"]["statuses"]] == ["A"]
    assert citizen.person.id_number not in response.content.decode()
    (car,) = body["vehicles"]
    assert (
        car["plate"] == "新B·12345"
        and car["unhandled_violations"] == 1
        and car["unhandled_fines_fen"] == 15000
    )
    assert car["statuses"][0] == {
        "code": "G",
        "name": "violations not handled",
        "meaning": car["statuses"][0]["meaning"],
        "what_to_do": "Handle the violations and pay the fines.",
        "severity": "warn",
        "business_code": "W01",
        "business_name": car["statuses"][0]["business_name"],
        "business_url": "/guide/W01/",
    }
    assert (
        body["unhandled_violations"],
        body["unhandled_fines_fen"],
        body["pending_applications"],
    ) == (1, 15000, 1)
    assert {"renewal_window", "violations"} <= {step["kind"] for step in body["next_steps"]}


def test_status_with_the_browser_session(client):
    citizen = CitizenFactory()
    VehicleFactory(owner_person=citizen.person, plate="新B54321")
    client.force_login(citizen)
    response = client.get(STATUS)
    assert response.status_code == 200 and response.json()["vehicles"][0]["plate"] == "新B·54321"
    assert response.json()["licence"] is None


def test_status_without_credentials_is_401_in_the_error_shape(client):
    response = client.get(STATUS, **EN)
    assert response.status_code == 401
    assert response.json() == {
        "errors": [
            {
                "field": None,
                "code": "not_authenticated",
                "message": "Sign in, or send a valid API token.",
            }
        ]
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_token_is_refused(client):
    response = client.get(STATUS, HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert response.status_code == 401


def test_a_revoked_token_is_refused(client):
    citizen = CitizenFactory()
    raw, token = api_token_create(user=citizen, name="phone")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(STATUS, **headers).status_code == 200
    api_token_revoke(user=citizen, token_id=token.pk)
    assert client.get(STATUS, **headers).status_code == 401


def test_an_expired_token_is_refused(client):
    citizen = CitizenFactory()
    raw, _ = api_token_create(user=citizen, name="phone", days=30)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with time_machine.travel(datetime(2025, 7, 14, 10, 0, tzinfo=OFFICE_TZ), tick=False):
        assert client.get(STATUS, **headers).status_code == 200
    with time_machine.travel(
        datetime(2025, 6, 15, 10, 0, tzinfo=OFFICE_TZ) + timedelta(days=30, seconds=1), tick=False
    ):
        assert client.get(STATUS, **headers).status_code == 401


def test_officers_get_403(client, bearer):
    officer = OfficerFactory()
    response = client.get(STATUS, **bearer(officer), **EN)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "citizens_only"
    client.force_login(officer)
    assert client.get(STATUS).status_code == 403


def test_a_citizen_only_sees_their_own_records(client, bearer):
    me, other = CitizenFactory(), CitizenFactory()
    VehicleFactory(owner_person=me.person, plate="新B11111")
    theirs = VehicleFactory(owner_person=other.person, plate="新B99999")
    ViolationFactory(vehicle=theirs, fine_fen=88800)
    ApplicationFactory(applicant=other)
    body = client.get(STATUS, **bearer(me)).json()
    assert [v["plate"] for v in body["vehicles"]] == ["新B·11111"]
    assert (body["unhandled_fines_fen"], body["pending_applications"]) == (0, 0)


def busy_citizen(vehicles: int, violations_each: int, applications: int):
    citizen = CitizenFactory()
    licence = LicenceFactory(holder=citizen.person)
    PointsEntry.objects.create(
        licence=licence,
        cycle_start=date(2025, 6, 1),
        occurred_on=date(2025, 6, 2),
        points=3,
        kind="violation",
    )
    for _ in range(vehicles):
        vehicle = VehicleFactory(owner_person=citizen.person)
        for _ in range(violations_each):
            ViolationFactory(vehicle=vehicle)
    for _ in range(applications):
        ApplicationFactory(applicant=citizen)
    return citizen


def api_queries(client, headers) -> int:
    client.get(
        STATUS, **headers
    )  # first use of a token records last_used_at; measure the steady state
    with CaptureQueriesContext(connection) as queries:
        response = client.get(STATUS, **headers)
    assert response.status_code == 200
    return len(queries)


def test_status_query_count_does_not_grow(client, bearer):
    small = busy_citizen(vehicles=1, violations_each=0, applications=0)
    large = busy_citizen(vehicles=8, violations_each=5, applications=7)
    assert api_queries(client, bearer(small)) == api_queries(client, bearer(large))
    assert len(client.get(STATUS, **bearer(large)).json()["vehicles"]) == 8


def test_data_access_is_paginated_and_in_office_time(client, bearer):
    citizen, officer = CitizenFactory(), OfficerFactory(first_name="李警官")
    for n in range(23):
        data_access_record(
            officer=officer,
            person_id=citizen.person_id,
            screen=f"screen-{n:02d}",
            purpose="enquiry",
        )
    data_access_record(officer=officer, person_id=CitizenFactory().person_id, screen="other-person")
    headers = bearer(citizen)
    first = client.get(DATA_ACCESS, **headers).json()
    second = client.get(f"{DATA_ACCESS}?page=2", **headers).json()
    assert first["count"] == 23 and len(first["items"]) == 20 and len(second["items"]) == 3
    item = first["items"][0]
    assert item["accessed_at"] == "2025-06-15T10:00:00+08:00"
    assert "李警官" in item["officer"] and item["purpose"] == "enquiry"
    screens = {i["screen"] for i in first["items"] + second["items"]}
    assert "other-person" not in screens and len(screens) == 23


def test_data_access_for_officers_is_403(client, bearer):
    assert client.get(DATA_ACCESS, **bearer(OfficerFactory())).status_code == 403
