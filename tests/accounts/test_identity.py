"""Identity proofing after sign-up (issue 12 finding 1): an account that did not prove the phone
on record is linked to the person only by the online check's signed callback or by an officer
who saw the ID card at a service hall."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, code_sent_to
from tests.factories import (
    CitizenFactory,
    LicenceFactory,
    OfficerFactory,
    PersonFactory,
    VehicleFactory,
    make_id_number,
    make_phone,
)
from tests.office.conftest import sign_in_verified
from vmo.accounts.models import IdentityCheck, User
from vmo.accounts.verification import sandbox
from vmo.core.selectors import events_for
from vmo.registry.models import Person

pytestmark = pytest.mark.django_db

NEW_PHONE = make_phone(61)


def _signed_up(client: Client, *, name: str, id_number: str, phone: str = NEW_PHONE) -> User:
    client.post(reverse("accounts:signup"), {"name": name, "id_number": id_number, "phone": phone})
    client.post(
        reverse("accounts:signup_verify"),
        {"code": code_sent_to(phone), "password": PASSWORD, "password_confirm": PASSWORD},
    )
    return User.objects.get(identity_claim__phone_hash__isnull=False, person__isnull=True)


def _person(phone: str = make_phone(62)) -> Person:
    licence = LicenceFactory(holder=PersonFactory(name="王芳", phone=phone))
    VehicleFactory(owner_person=licence.holder)
    return licence.holder


def _verify_online(client: Client, outcome: str) -> IdentityCheck:
    response = client.post(reverse("accounts:identity"))
    assert response.status_code == 302
    reference = response.url.rstrip("/").rsplit("/", 1)[-1]
    assert response.url == reverse("accounts:identity_sandbox", args=[reference])
    page = client.get(response.url)
    assert page.status_code == 200 and "Finish" in page.text
    back = client.post(response.url, {"outcome": outcome})
    assert back.status_code == 302
    return IdentityCheck.objects.get(reference=reference)


def test_online_verification_links_the_records_and_keeps_the_registry_phone(
    client, django_capture_on_commit_callbacks
):
    old_phone = make_phone(62)
    person = _person(old_phone)
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    with django_capture_on_commit_callbacks(execute=True):
        check = _verify_online(client, "pass")
    check.refresh_from_db()
    assert check.status == "passed"
    user.refresh_from_db()
    assert user.person == person and user.identity_claim.method == "online"
    person.refresh_from_db()
    assert person.phone == old_phone
    page = client.get(reverse("portal:my_status"))
    assert page.status_code == 200 and person.vehicles.get().model_name in page.text
    assert "account.identity_verified" in [e.action for e in events_for(user)]


def test_a_failed_check_shows_its_reason_and_links_nothing(
    client, django_capture_on_commit_callbacks
):
    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    with django_capture_on_commit_callbacks(execute=True):
        check = _verify_online(client, "face_mismatch")
    check.refresh_from_db()
    assert (check.status, check.reason) == ("failed", "face_mismatch")
    user.refresh_from_db()
    assert user.person is None
    page = client.get(reverse("accounts:identity")).text
    assert "The face did not match the photo" in page


def test_the_result_is_not_there_before_the_callback_arrives(client):
    person = _person()
    _signed_up(client, name="王芳", id_number=person.id_number)
    check = _verify_online(client, "pass")  # the callback is queued after commit: not yet sent
    check.refresh_from_db()
    assert check.status == "pending"
    assert "We are waiting for the result" in client.get(reverse("accounts:identity")).text


def test_a_forged_or_unsigned_callback_changes_nothing(client):
    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    check = _verify_online(client, "face_mismatch")
    body = sandbox.callback_body(check.reference, "pass")
    url = reverse("accounts:identity_callback", args=["sandbox"])
    anonymous = Client()
    for headers in ({}, {"HTTP_X_SANDBOX_SIGNATURE": "0" * 64}):
        response = anonymous.post(url, body, content_type="application/json", **headers)
        assert response.status_code == 400
    check.refresh_from_db()
    user.refresh_from_db()
    assert check.status == "pending" and user.person is None
    # Signed properly it is applied, once; a repeat is answered and changes nothing more.
    signed = {"HTTP_X_SANDBOX_SIGNATURE": sandbox.sign(body)}
    assert anonymous.post(url, body, content_type="application/json", **signed).status_code == 200
    assert anonymous.post(url, body, content_type="application/json", **signed).status_code == 200
    user.refresh_from_db()
    assert user.person == person
    assert IdentityCheck.objects.get().status == "passed"


def test_online_verification_refuses_a_person_who_already_has_an_account(
    client, django_capture_on_commit_callbacks
):
    owner = CitizenFactory()
    user = _signed_up(client, name=owner.person.name, id_number=owner.person.id_number)
    with django_capture_on_commit_callbacks(execute=True):
        check = _verify_online(client, "pass")
    check.refresh_from_db()
    assert (check.status, check.reason) == ("failed", "already_registered")
    user.refresh_from_db()
    assert user.person is None
    assert User.objects.get(person=owner.person) == owner


def test_someone_not_on_record_becomes_a_person_when_verified(
    client, django_capture_on_commit_callbacks
):
    id_number = make_id_number(63)
    user = _signed_up(client, name="张伟", id_number=id_number)
    assert not Person.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _verify_online(client, "pass")
    user.refresh_from_db()
    assert user.person.id_number == id_number and user.person.phone == NEW_PHONE


def test_an_officer_verifies_at_the_service_hall(client):
    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    officer = OfficerFactory(role="clerk")
    officer_client = sign_in_verified(Client(), officer)
    officer_client.officer = officer
    url = reverse("accounts_office:identity")
    page = officer_client.get(url, {"id_number": person.id_number})
    assert page.status_code == 200
    assert NEW_PHONE[:3] + "****" + NEW_PHONE[-4:] in page.text and NEW_PHONE not in page.text
    claim = user.identity_claim
    response = officer_client.post(url, {"id_number": person.id_number, "claim": claim.pk})
    assert response.status_code == 302
    user.refresh_from_db()
    claim.refresh_from_db()
    assert user.person == person
    assert claim.method == "hall" and claim.verified_by == officer_client.officer


def test_citizens_and_other_roles_cannot_verify_at_the_hall(client):
    person = _person()
    user = _signed_up(client, name="王芳", id_number=person.id_number)
    editor = sign_in_verified(Client(), OfficerFactory(role="editor"))
    url = reverse("accounts_office:identity")
    response = editor.post(url, {"id_number": person.id_number, "claim": user.identity_claim.pk})
    assert response.status_code == 403
    response = client.post(url, {"id_number": person.id_number, "claim": user.identity_claim.pk})
    assert response.status_code == 302 and "officer" in response.url
    user.refresh_from_db()
    assert user.person is None
