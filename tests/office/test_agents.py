"""The officers' company-agents page (/office/agents/): a clerk records a company's
authorisation of its agent, the letter judged by the upload checks, and revokes it; every
change in the history; only officers with the capability, checked on the server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import CitizenFactory, CompanyFactory, PersonFactory, VehicleFactory
from tests.pdfs import build_pdf
from tests.registry.agents import letter_png
from vmo.core import clock
from vmo.core.models import DataAccess, Event
from vmo.registry import selectors as registry
from vmo.registry.models import AgentAuthorisation

pytestmark = pytest.mark.django_db

HOME = "/office/agents/"


@pytest.fixture
def company():
    company = CompanyFactory(name="昌吉市天山运输有限公司")
    VehicleFactory(owner_person=None, owner_company=company)
    return company


def _post(client: Client, company, **overrides):
    today = clock.today()
    data = {
        "id_number": overrides.pop("id_number"),
        "letter": overrides.pop(
            "letter", SimpleUploadedFile("letter.png", letter_png(), content_type="image/png")
        ),
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
        **overrides,
    }
    return client.post(f"{HOME}companies/{company.pk}/authorise/", data)


def test_a_clerk_finds_the_company_records_the_authorisation_and_revokes_it(
    officer_client, company
):
    client = officer_client("clerk")
    agent = CitizenFactory()
    page = client.get(HOME, {"uscc": company.uscc.lower()})
    assert page.status_code == 200 and "昌吉市天山运输有限公司" in page.content.decode()
    response = _post(client, company, id_number=agent.person.id_number)
    assert response.status_code == 302, response.content.decode()[:2000]
    authorisation = AgentAuthorisation.objects.get()
    assert authorisation.person == agent.person and authorisation.letter_content_type == "image/png"
    assert registry.acts_for(agent.person, company.pk)
    event = Event.objects.get(action="agent.authorise")
    assert event.actor_id == client.officer.pk
    page = client.get(HOME, {"uscc": company.uscc}).content.decode()
    assert "in force" in page and agent.person.id_number not in page  # masked

    letter = client.get(f"{HOME}authorisations/{authorisation.pk}/letter/")
    assert letter.status_code == 200 and letter["Content-Type"] == "image/png"
    assert letter["Cache-Control"] == "private, no-store"
    assert DataAccess.objects.get(person_id=agent.person.pk).screen == "office.agent_letter"

    response = client.post(
        f"{HOME}authorisations/{authorisation.pk}/revoke/",
        {f"r{authorisation.pk}-reason": "the company withdrew the letter"},
    )
    assert response.status_code == 302
    assert not registry.acts_for(agent.person, company.pk)
    assert Event.objects.get(action="agent.revoke").reason == "the company withdrew the letter"
    assert "revoked on" in client.get(HOME, {"uscc": company.uscc}).content.decode()


def test_a_letter_with_a_script_is_refused_and_nothing_is_recorded(officer_client, company):
    client = officer_client("clerk")
    agent = CitizenFactory()
    active = build_pdf(
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>", catalog_extra=b"/OpenAction 4 0 R"
    )
    response = _post(
        client,
        company,
        id_number=agent.person.id_number,
        letter=SimpleUploadedFile("letter.pdf", active, content_type="application/pdf"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page and "PDF files with scripts" in page
    assert (
        not AgentAuthorisation.objects.exists()
        and not Event.objects.filter(action="agent.authorise").exists()
    )


def test_a_person_without_a_verified_account_cannot_be_authorised(officer_client, company):
    client = officer_client("clerk")
    person = PersonFactory()  # on the registry, no online account linked to it
    response = _post(
        client,
        company,
        id_number=person.id_number,
        valid_until=(clock.today() - timedelta(days=1)).isoformat(),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "No verified online account" in page
    assert not AgentAuthorisation.objects.exists()


def test_dates_out_of_order_are_refused_with_the_form_kept(officer_client, company):
    client = officer_client("clerk")
    agent = CitizenFactory()
    response = _post(
        client,
        company,
        id_number=agent.person.id_number,
        valid_from=(clock.today() + timedelta(days=5)).isoformat(),
        valid_until=clock.today().isoformat(),
    )
    assert "cannot end before it starts" in response.content.decode()
    assert not AgentAuthorisation.objects.exists()


def test_an_unknown_company_code_is_said_so(officer_client):
    client = officer_client("clerk")
    first17 = "91652301MA0000001"
    from vmo.registry.validators import uscc_check_char

    page = client.get(HOME, {"uscc": first17 + uscc_check_char(first17)}).content.decode()
    assert "No company with this code is on record." in page


def test_only_officers_with_the_capability(officer_client, company, client):
    agent = CitizenFactory()
    client.force_login(agent)
    assert client.get(HOME).status_code == 302  # to the officers' sign-in
    assert _post(client, company, id_number=agent.person.id_number).status_code == 302
    reviewer = officer_client("reviewer")
    assert reviewer.get(HOME).status_code == 403
    assert _post(reviewer, company, id_number=agent.person.id_number).status_code == 403
    assert not AgentAuthorisation.objects.exists()
