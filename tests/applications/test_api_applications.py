"""The applications API: start → upload → submit (refused while incomplete) → submit, every refusal in the
one error shape listing every problem, and anyone else's application a 404."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import CitizenFactory, OfficerFactory, VehicleFactory
from vmo.accounts.services import api_token_create
from vmo.applications.models import Application, ApplicationFile

from .conftest import pdf, photo

pytestmark = pytest.mark.django_db

BASE = "/api/v1/applications"
KEY = "k" * 24


def bearer(user, lang="en"):
    raw, _ = api_token_create(user=user, name="test client")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": lang}


def _start(client, auth, code="D02", headers=None, **body):
    return client.post(
        f"{BASE}/",
        {"business_code": code, **body},
        content_type="application/json",
        **auth,
        **(headers or {}),
    )


def test_start_upload_submit_refused_while_incomplete_then_accepted(holder):
    client, auth = Client(), bearer(holder)
    response = _start(client, auth, headers={"HTTP_IDEMPOTENCY_KEY": KEY})
    assert response.status_code == 201, response.json()
    body = response.json()
    ref = body["reference"]
    assert body["status"] == "draft" and body["fee"]["amount_fen"] == 1000
    assert [m["code"] for m in body["materials"]] == ["photo", "medical"]
    assert body["materials"][0]["min_pixels"] == [358, 441]
    # The same key again: the same draft.
    again = _start(client, auth, headers={"HTTP_IDEMPOTENCY_KEY": KEY})
    assert again.status_code == 200 and again.json()["reference"] == ref
    assert Application.objects.count() == 1

    response = client.post(f"{BASE}/{ref}/materials/photo", {"file": photo()}, **auth)
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 1

    # Submitting without the certificate: refused with what is missing, nothing changed (the
    # one-time notice is the office's, after accepting).
    response = client.post(f"{BASE}/{ref}/submit", **auth)
    assert response.status_code == 422, response.json()
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("material:medical", "incomplete")
    ]
    body = client.get(f"{BASE}/{ref}", **auth).json()
    assert body["status"] == "draft" and body["corrections"] == []
    assert body["editable"] is True

    response = client.post(
        f"{BASE}/{ref}/materials/medical", {"file": pdf(), "issued_on": "2026-11-01"}, **auth
    )
    assert response.status_code == 201, response.json()
    response = client.put(
        f"{BASE}/{ref}",
        {"data": {}, "delivery": {"method": "pickup"}},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200 and response.json()["delivery"]["method"] == "pickup"
    body = client.post(f"{BASE}/{ref}/submit", **auth).json()
    assert body["status"] == "submitted" and body["due_on"] == "2026-11-25"
    assert body["fee"]["payable"] is True
    assert "Submitted" in [h["what"] for h in body["history"]]

    response = client.post(f"{BASE}/{ref}/fee", content_type="application/json", **auth)
    assert response.status_code == 200, response.json()
    order = response.json()
    assert order["amount_fen"] == 1000 and "/payments/sandbox/pay/" in order["payment_url"]

    listed = client.get(f"{BASE}/", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["reference"] == ref

    download = client.get(body["materials"][1]["current"]["url"], **auth)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_start_problems_are_listed_together(holder):
    client, auth = Client(), bearer(holder)
    response = _start(client, auth, code="ZZZ", idempotency_key="short")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"business_code", "idempotency_key"}
    response = _start(client, auth, code="V03", idempotency_key=KEY)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "vehicle_id"


def test_update_lists_every_problem_in_the_error_shape(owner):
    client, auth = Client(), bearer(owner)
    vehicle = owner.person.vehicles.get()
    ref = _start(client, auth, code="V03", vehicle_id=vehicle.pk, idempotency_key=KEY).json()[
        "reference"
    ]
    response = client.put(
        f"{BASE}/{ref}",
        {"data": {"loss_reason": "burnt"}, "delivery": {"method": "mail"}},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["field"] for e in errors} == {
        "loss_reason",
        "delivery_recipient",
        "delivery_phone",
        "delivery_address",
    }
    assert all(e["message"] and e["code"] for e in errors)
    assert Application.objects.get().data == {}


def test_refused_upload_says_why_and_stores_nothing(holder):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client, auth = Client(), bearer(holder)
    ref = _start(client, auth, idempotency_key=KEY).json()["reference"]
    exe = SimpleUploadedFile("me.jpg", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")
    response = client.post(f"{BASE}/{ref}/materials/photo", {"file": exe}, **auth)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "file", "code": "invalid", "message": "The file is not a readable image."}
    ]
    response = client.post(f"{BASE}/{ref}/materials/medical", {"file": pdf()}, **auth)
    assert response.json()["errors"][0]["message"] == "Give the date on the certificate."
    assert client.post(f"{BASE}/{ref}/materials/nope", {"file": pdf()}, **auth).status_code == 404
    assert not ApplicationFile.objects.exists()


def test_others_applications_are_not_found(holder):
    client = Client()
    ref = _start(client, bearer(holder), idempotency_key=KEY).json()["reference"]
    stranger = bearer(CitizenFactory())
    assert client.get(f"{BASE}/{ref}", **stranger).status_code == 404
    for path in ("/submit", "/withdraw", "/fee"):
        response = client.generic("POST", f"{BASE}/{ref}{path}", b"", **stranger)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["code"] == "not_found"
    assert client.get(f"{BASE}/", **stranger).json()["count"] == 0
    # Someone else's vehicle: not found either.
    other = VehicleFactory()
    response = _start(client, stranger, code="V03", vehicle_id=other.pk, idempotency_key=KEY)
    assert response.status_code == 404
    assert client.get(f"{BASE}/{ref}", **bearer(OfficerFactory())).status_code == 403
    assert client.get(f"{BASE}/{ref}").status_code == 401


def test_wrong_state_is_a_clear_error(holder):
    client, auth = Client(), bearer(holder)
    ref = _start(client, auth, idempotency_key=KEY).json()["reference"]
    assert client.post(f"{BASE}/{ref}/withdraw", **auth).json()["status"] == "withdrawn"
    response = client.put(f"{BASE}/{ref}", {"data": {}}, content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": None,
            "code": "invalid",
            "message": "This application can no longer be changed.",
        }
    ]
    response = client.generic("POST", f"{BASE}/{ref}/fee", b"", **auth)
    assert response.status_code == 422
    assert (
        response.json()["errors"][0]["message"] == "There is nothing to pay for this application."
    )
