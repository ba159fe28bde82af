"""A company's agent sees the company's vehicles, violations and applications, and applies for
its vehicles, only under an authorisation the office recorded (issue 12; issue 16 item 14).
Tried as an attacker: a named agent the office never authorised, the agent of another company,
an authorisation ended, not begun or revoked: every company object is a 404, on the pages and
in the API, and nothing of the company is on /me/ or in /api/v1/me/status."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.test import Client

from tests.applications.conftest import TODAY, photo, start
from tests.applications.test_api_applications import bearer
from tests.factories import CitizenFactory, CompanyFactory, VehicleFactory
from tests.registry.agents import authorise
from tests.status.factories import ViolationFactory
from vmo.applications import services
from vmo.registry.models import CompanyRepresentative
from vmo.registry.selectors import plate_label
from vmo.registry.services import agent_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    """A company with a vehicle, a violation on it, its authorised agent and an application the
    agent made for the vehicle (with an uploaded photo)."""
    company = CompanyFactory(name="昌吉市天山运输有限公司")
    car = VehicleFactory(owner_person=None, owner_company=company)
    violation = ViolationFactory(vehicle=car, fine_fen=20000)
    agent = CitizenFactory()
    CompanyRepresentative.objects.create(company=company, person=agent.person, role="agent")
    authorisation = authorise(company, agent.person)
    application = start(agent, "V04", vehicle_id=car.pk)
    stored = services.material_upload(
        actor=agent, application=application, material_code="damaged_photo", upload=photo()
    )
    return {
        "company": company,
        "car": car,
        "violation": violation,
        "agent": agent,
        "authorisation": authorisation,
        "application": application,
        "file": stored,
    }


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _company_urls(firm) -> list[str]:
    ref = firm["application"].reference
    return [
        f"/applications/{ref}/",
        f"/applications/{ref}/check/",
        f"/applications/{ref}/files/{firm['file'].pk}/",
        f"/violations/{firm['violation'].pk}/",
    ]


def _api_urls(firm) -> list[str]:
    ref = firm["application"].reference
    return [
        f"/api/v1/applications/{ref}",
        f"/api/v1/applications/{ref}/files/{firm['file'].pk}",
        f"/api/v1/violations/{firm['violation'].pk}",
    ]


def assert_sees_company(user, firm) -> None:
    client, auth = _client(user), bearer(user)
    for url in _company_urls(firm):
        assert client.get(url).status_code == 200, url
    for url in _api_urls(firm):
        assert Client().get(url, **auth).status_code == 200, url
    page = client.get("/me/").content.decode()
    assert "昌吉市天山运输有限公司" in page and "Companies you act for" in page
    status = Client().get("/api/v1/me/status", **auth).json()
    (company,) = status["companies"]
    assert [v["id"] for v in company["vehicles"]] == [firm["car"].pk]
    assert company["unhandled_violations"] == 1 and company["unhandled_fines_fen"] == 20000
    assert status["vehicles"] == []  # the company's vehicles are not the agent's own
    listed = client.get("/applications/").content.decode()
    assert firm["application"].reference in listed
    api_list = Client().get("/api/v1/applications/", **auth).json()
    assert [a["company"] for a in api_list["items"]] == ["昌吉市天山运输有限公司"]
    violations = Client().get("/api/v1/violations", **auth).json()
    assert [v["role"] for v in violations["items"]] == ["company"]


def assert_sees_nothing_of_the_company(user, firm) -> None:
    client, auth = _client(user), bearer(user)
    for url in _company_urls(firm):
        assert client.get(url).status_code == 404, url
    for url in _api_urls(firm):
        response = Client().get(url, **auth)
        assert response.status_code == 404, url
    # Acting on the application: refused as not found, by the page and the API alike.
    ref = firm["application"].reference
    assert client.post(f"/applications/{ref}/withdraw/").status_code == 404
    assert Client().post(f"/api/v1/applications/{ref}/withdraw", **auth).status_code == 404
    assert "昌吉市天山运输有限公司" not in client.get("/me/").content.decode()
    status = Client().get("/api/v1/me/status", **auth).json()
    assert status["companies"] == [] and status["unhandled_violations"] == 0
    assert ref not in client.get("/applications/").content.decode()
    assert Client().get("/api/v1/applications/", **auth).json()["items"] == []
    assert Client().get("/api/v1/violations", **auth).json()["items"] == []
    # Applying for the company's vehicle: the vehicle does not exist for them.
    with pytest.raises(Http404):
        start(user, "V03", vehicle_id=firm["car"].pk, initial={"loss_reason": "lost"})
    response = Client().post(
        "/api/v1/applications/",
        {"business_code": "V03", "vehicle_id": firm["car"].pk},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="x" * 24,
        **auth,
    )
    assert response.status_code == 404, response.json()
    page = client.get("/applications/new/V03/").content.decode()
    assert plate_label(firm["car"]) not in page


def test_the_authorised_agent_sees_the_company_and_applies_for_its_vehicle(firm):
    assert_sees_company(firm["agent"], firm)
    page = _client(firm["agent"]).get("/applications/new/V03/").content.decode()
    assert plate_label(firm["car"]) in page
    assert start(firm["agent"], "V03", vehicle_id=firm["car"].pk).company == firm["company"]


def test_a_named_agent_the_office_never_authorised_sees_nothing(firm):
    named = CitizenFactory()
    CompanyRepresentative.objects.create(company=firm["company"], person=named.person, role="agent")
    assert_sees_nothing_of_the_company(named, firm)


def test_the_agent_of_another_company_sees_nothing(firm):
    other = CitizenFactory()
    authorise(CompanyFactory(), other.person)
    assert_sees_nothing_of_the_company(other, firm)


def test_access_ends_the_day_after_the_last_day(firm):
    last = TODAY + timedelta(days=30)  # tests.registry.agents.authorise's default
    with time_machine.travel(f"{last.isoformat()} 23:00 +0800", tick=False):
        assert _client(firm["agent"]).get("/me/").content.decode().count("天山运输") >= 1
    with time_machine.travel(f"{(last + timedelta(days=1)).isoformat()} 08:00 +0800", tick=False):
        assert_sees_nothing_of_the_company(firm["agent"], firm)


def test_an_authorisation_not_yet_begun_gives_nothing(firm):
    early = CitizenFactory()
    authorise(
        firm["company"],
        early.person,
        valid_from=TODAY + timedelta(days=1),
        valid_until=TODAY + timedelta(days=9),
    )
    assert_sees_nothing_of_the_company(early, firm)


def test_revocation_ends_access_at_once_even_to_the_agents_own_application(firm):
    assert_sees_company(firm["agent"], firm)
    agent_revoke(actor=None, authorisation=firm["authorisation"], reason="letter withdrawn")
    assert_sees_nothing_of_the_company(firm["agent"], firm)


def test_a_second_authorised_agent_sees_the_first_agents_application_but_cannot_act_on_it(firm):
    second = CitizenFactory()
    authorise(firm["company"], second.person)
    client = _client(second)
    ref = firm["application"].reference
    assert client.get(f"/applications/{ref}/").status_code == 200
    # Seen, not theirs to change: the applicant's actions stay the applicant's.
    assert client.post(f"/applications/{ref}/withdraw/").status_code == 404
    firm["application"].refresh_from_db()
    assert firm["application"].status == "draft"
