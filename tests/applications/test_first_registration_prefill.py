"""First registration (V02) starts from the plate reservation the applicant holds: the form is
pre-filled with its VIN and model whether the applicant comes from the reservation's page or
from the service guide."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CitizenFactory, OfficerFactory, make_vin
from vmo.accounts.choices import OfficerRole
from vmo.applications.models import Application
from vmo.plates.pool import pool_batch_load
from vmo.plates.services import reservation_create

from .conftest import verified

pytestmark = pytest.mark.django_db

KEY = "k" * 24


def _reserve(user, number, vin, model="朗逸"):
    admin = verified(OfficerFactory(role=OfficerRole.ADMINISTRATOR))
    pool_batch_load(actor=admin, plate_type="02", text=f"{number}\n")
    return reservation_create(actor=user, number=number, vin=vin, model_name=model, plate_type="02")


def _start(client, query=""):
    url = reverse("applications:start", args=["V02"]) + query
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    response = client.post(url, {"idempotency_key": KEY}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    return page, Application.objects.get(business_code="V02")


def test_the_one_reservation_held_fills_the_form_from_the_guide(client, citizen):
    """No reservation named in the link: the applicant's only active one is used."""
    vin = make_vin(90011)
    _reserve(citizen, "新BD2351", vin, model="帝豪")
    client.force_login(citizen)
    page, application = _start(client)
    assert "Your reserved number" in page and vin in page
    assert application.data["vin"] == vin and application.data["model_name"] == "帝豪"


def test_several_reservations_are_offered_and_none_is_guessed(client, citizen):
    first, second = make_vin(90012), make_vin(90013)
    one = _reserve(citizen, "新BD2352", first)
    two = _reserve(citizen, "新BD2353", second)
    client.force_login(citizen)
    page = client.get(
        reverse("applications:start", args=["V02"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Choose the reserved number" in page
    assert f"?reservation={one.pk}" in page and f"?reservation={two.pk}" in page
    _page, application = _start(client, f"?reservation={two.pk}")
    assert application.data["vin"] == second


def test_another_persons_reservation_fills_nothing(client, citizen):
    other = CitizenFactory()
    theirs = _reserve(other, "新BD2354", make_vin(90014))
    client.force_login(citizen)
    page, application = _start(client, f"?reservation={theirs.pk}")
    assert "Your reserved number" not in page and make_vin(90014) not in page
    assert not application.data.get("vin")
