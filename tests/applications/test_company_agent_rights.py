"""What an agent may do for a company, beyond seeing it (issue 12; R164 Art 86): name the driver
of a company vehicle's record, pay its fine and the fees of the applications they made, and
apply for every business but those the law keeps from agents (online: cancelling a destroyed
vehicle, which its legal representative applies for). Tried as an attacker too: a named agent
the office never authorised and an agent whose authorisation was revoked can do none of it, on
the pages, in the API and in the services, and nothing is written."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tests.applications.conftest import start
from tests.applications.helpers import fill, problems, submit_paid
from tests.applications.test_api_applications import bearer
from tests.factories import CitizenFactory, CompanyFactory, LicenceFactory, VehicleFactory
from tests.registry.agents import authorise
from tests.violations.online_factories import camera_violation, driver_account
from vmo.applications import services as applications
from vmo.applications.checks import Incomplete
from vmo.core.selectors import events_for
from vmo.payments.models import PaymentOrder
from vmo.registry.models import CompanyRepresentative
from vmo.registry.services import agent_revoke
from vmo.violations import services
from vmo.violations.models import DriverNomination, PenaltyDecision

pytestmark = pytest.mark.django_db

KEPT_FROM_AGENTS = "An agent may not apply to cancel the registration of a destroyed vehicle"


@pytest.fixture
def fleet():
    company = CompanyFactory(name="昌吉市天山运输有限公司")
    car = VehicleFactory(owner_person=None, owner_company=company)
    legal = CitizenFactory()
    CompanyRepresentative.objects.create(company=company, person=legal.person, role="legal")
    agent = CitizenFactory()
    CompanyRepresentative.objects.create(company=company, person=agent.person, role="agent")
    authorisation = authorise(company, agent.person)
    driver, _licence = driver_account()
    return {
        "company": company,
        "car": car,
        "legal": legal,
        "agent": agent,
        "authorisation": authorisation,
        "driver": driver,
        "violation": camera_violation(car),
    }


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _decided_by_the_driver(fleet) -> PenaltyDecision:
    nomination = services.nomination_create(
        violation=fleet["violation"],
        actor=fleet["agent"],
        driver_id_number=fleet["driver"].person.id_number,
        driver_name=fleet["driver"].person.name,
    )
    return services.nomination_confirm(nomination=nomination, actor=fleet["driver"])


# --- Naming the driver, paying the fine ------------------------------------------------------


def test_the_authorised_agent_names_the_driver_and_pays_the_fine_on_the_pages(fleet):
    client, violation = _client(fleet["agent"]), fleet["violation"]
    page = client.get(f"/violations/{violation.pk}/").content.decode()
    assert "Name the driver" in page and "yourself, if you drove" in page
    response = client.post(
        f"/violations/{violation.pk}/",
        {
            "driver_id_number": fleet["driver"].person.id_number,
            "driver_name": fleet["driver"].person.name,
        },
    )
    assert response.status_code == 302
    nomination = DriverNomination.objects.get(violation=violation)
    assert (nomination.nominated_by, nomination.driver) == (fleet["agent"], fleet["driver"].person)
    assert events_for(violation).filter(action="violation.nominate").count() == 1
    decision = services.nomination_confirm(nomination=nomination, actor=fleet["driver"])
    assert decision.licence.holder == fleet["driver"].person

    page = client.get(f"/violations/{violation.pk}/").content.decode()
    assert "Pay ¥200.00" in page
    assert client.get(f"/violations/{violation.pk}/decision.pdf").status_code == 200
    response = client.post(f"/violations/{violation.pk}/pay/")
    assert response.status_code == 302 and "/payments/sandbox/pay/" in response["Location"]
    order = PaymentOrder.objects.get(subject_id=str(decision.pk))
    assert (order.payer, order.amount_fen) == (fleet["agent"], 20000)


def test_the_agent_who_drove_names_themselves_and_confirms_through_the_api(fleet):
    agent = fleet["agent"]
    LicenceFactory(holder=agent.person)
    auth = bearer(agent)
    violation = fleet["violation"]
    detail = Client().get(f"/api/v1/violations/{violation.pk}", **auth).json()
    assert (detail["role"], detail["can_nominate"], detail["can_handle"]) == (
        "company",
        True,
        False,
    )
    response = Client().post(
        f"/api/v1/violations/{violation.pk}/handle",
        {"driver_id_number": agent.person.id_number, "driver_name": agent.person.name},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 202, response.json()
    nomination_id = response.json()["nomination"]["id"]
    response = Client().post(f"/api/v1/nominations/{nomination_id}/confirm", **auth)
    assert response.status_code == 201, response.json()
    assert PenaltyDecision.objects.get(violation=violation).licence.holder == agent.person
    response = Client().post(
        f"/api/v1/violations/{violation.pk}/pay",
        {"return_url": "/violations/"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.json()
    assert "payment_url" in response.json()


def _assert_can_do_nothing(user, fleet) -> None:
    client, auth, violation = _client(user), bearer(user), fleet["violation"]
    assert client.get(f"/violations/{violation.pk}/").status_code == 404
    response = client.post(
        f"/violations/{violation.pk}/",
        {
            "driver_id_number": fleet["driver"].person.id_number,
            "driver_name": fleet["driver"].person.name,
        },
    )
    assert response.status_code == 404
    assert client.post(f"/violations/{violation.pk}/pay/").status_code == 404
    assert client.get(f"/violations/{violation.pk}/decision.pdf").status_code == 404
    for path, body in [
        (
            "handle",
            {
                "driver_id_number": fleet["driver"].person.id_number,
                "driver_name": fleet["driver"].person.name,
            },
        ),
        ("pay", {"return_url": "/violations/"}),
    ]:
        response = Client().post(
            f"/api/v1/violations/{violation.pk}/{path}",
            body,
            content_type="application/json",
            **auth,
        )
        assert response.status_code == 404, (path, response.json())
    # The services themselves refuse, with the reason, whatever a caller passes them.
    refused = pytest.raises(ValidationError, match="someone acting for the company that owns it")
    with translation.override("en"), refused:
        services.nomination_create(
            violation=violation,
            actor=user,
            driver_id_number=fleet["driver"].person.id_number,
            driver_name=fleet["driver"].person.name,
        )
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="代表所属单位"):
        services.nomination_create(
            violation=violation,
            actor=user,
            driver_id_number=fleet["driver"].person.id_number,
            driver_name=fleet["driver"].person.name,
        )
    decision = PenaltyDecision.objects.filter(violation=violation).first()
    if decision is not None:
        with translation.override("en"), refused:
            services.fine_pay_start(decision=decision, actor=user, return_url="http://t/x")


def test_a_named_agent_the_office_never_authorised_can_do_nothing(fleet):
    named = CitizenFactory()
    CompanyRepresentative.objects.create(
        company=fleet["company"], person=named.person, role="agent"
    )
    decision = _decided_by_the_driver(fleet)
    _assert_can_do_nothing(named, fleet)
    assert not PaymentOrder.objects.filter(subject_id=str(decision.pk)).exists()
    assert DriverNomination.objects.filter(nominated_by=named).count() == 0


def test_a_revoked_agent_can_do_nothing_at_once(fleet):
    agent = fleet["agent"]
    decision = _decided_by_the_driver(fleet)
    agent_revoke(actor=None, authorisation=fleet["authorisation"], reason="letter withdrawn")
    _assert_can_do_nothing(agent, fleet)
    assert not PaymentOrder.objects.filter(subject_id=str(decision.pk)).exists()


def test_a_revoked_agent_cannot_name_the_driver_of_an_unhandled_record(fleet):
    agent_revoke(actor=None, authorisation=fleet["authorisation"], reason="letter withdrawn")
    _assert_can_do_nothing(fleet["agent"], fleet)
    assert not DriverNomination.objects.exists()


# --- The businesses -----------------------------------------------------------------------


def _cancellation(user, fleet, reason: str):
    application = start(user, "V17", vehicle_id=fleet["car"].pk)
    fill(user, application, {"cancel_reason": reason})
    return application


def test_an_agent_is_refused_the_cancellation_of_a_destroyed_vehicle_with_the_reason(fleet):
    agent = fleet["agent"]
    application = _cancellation(agent, fleet, "destroyed")
    with translation.override("en"), pytest.raises(Incomplete) as refused:
        applications.application_submit(actor=agent, application=application)
    assert any(KEPT_FROM_AGENTS in m for m in refused.value.messages)
    application.refresh_from_db()
    assert application.status == "draft"
    # The API gives the same reason, keyed by the condition.
    response = Client().post(
        f"/api/v1/applications/{application.reference}/submit",
        content_type="application/json",
        **bearer(agent),
    )
    assert response.status_code == 422
    assert KEPT_FROM_AGENTS in response.content.decode()
    # The check-your-answers page says it before the button is pressed.
    page = _client(agent).get(f"/applications/{application.reference}/check/")
    assert KEPT_FROM_AGENTS in page.content.decode()


def test_the_legal_representative_cancels_a_destroyed_vehicle(fleet):
    application = submit_paid(fleet["legal"], _cancellation(fleet["legal"], fleet, "destroyed"))
    assert "condition:not_for_agents" not in problems(application)
    assert application.status == "submitted"


def test_an_agent_cancels_an_exported_vehicle_and_pays_the_fees_of_their_applications(fleet):
    agent = fleet["agent"]
    application = submit_paid(agent, _cancellation(agent, fleet, "exported"))
    assert getattr(application, "refused", None) is None
    assert application.status == "submitted"
    plates = start(agent, "V04", vehicle_id=fleet["car"].pk)
    plates = submit_paid(agent, fill(agent, plates))
    assert plates.fee_fen > 0 and plates.paid_at is not None
