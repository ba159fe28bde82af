"""Temporary plates (V12) on the pages: the form names every problem at once, and the plate
shows on the holder's status page and API (R164 Arts 46-47). Frozen on 2026-11-24."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import make_vin
from vmo.applications.models import Application
from vmo.registry.models import TemporaryPlate

from .helpers import run

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_names_every_problem_at_once_r164_art_47(citizen):
    client = signed_in(citizen)
    text = client.get("/applications/new/V12/", **EN).content.decode()
    assert "《机动车登记规定》第四十七条" in text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', text).group(1)
    client.post("/applications/new/V12/", {"idempotency_key": key}, **EN)
    app = Application.objects.get(business_code="V12")
    page = client.get(f"/applications/{app.reference}/", **EN).content.decode()
    assert "Why the vehicle needs a temporary plate" in page and "sold for export" in page
    client.post(
        f"/applications/{app.reference}/form/",
        {
            "vin": make_vin(8100),
            "temp_case": "export",
            "valid_from": "2026-11-24",
            "valid_to": "2026-12-24",  # 31 days
            "insurance_valid_until": "2027-11-23",
            "delivery_method": "pickup",
        },
        **EN,
    )
    response = client.post(f"/applications/{app.reference}/submit/", follow=True, **EN)
    body = response.content.decode()
    for expected in (
        "The validity is no longer than the case allows: 30 days",
        "Give the credit code of the company you apply for",
        "Safety inspection certificate: this case needs it; upload it.",
        "Export proof: this case needs it; upload it.",
        "Compulsory insurance policy (交强险) is missing.",
    ):
        assert expected in body, expected
    assert Application.objects.get(pk=app.pk).status == "draft"
    assert not TemporaryPlate.objects.exists()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (EN, ("Temporary plates", "bought or otherwise acquired", "2 days left", "valid until")),
        (ZH, ("临时行驶车号牌", "购买、调拨、赠予等方式获得", "剩余2天", "有效期至")),
    ],
    ids=["en", "zh"],
)
def test_the_plate_is_on_my_status_and_its_api_r164_art_47(citizen, clerk, reviewer, lang, words):
    vin = make_vin(8101)
    data = {
        "vin": vin,
        "temp_case": "acquired",
        "valid_from": "2026-11-24",
        "valid_to": "2026-11-26",
        "insurance_valid_until": "2027-11-23",
    }
    assert run(citizen, "V12", clerk, reviewer, data=data).status == "completed"
    plate = TemporaryPlate.objects.get(vin=vin)
    client = signed_in(citizen)
    text = client.get("/me/", **lang).content.decode()
    assert plate.display in text and vin in text
    for word in words:
        assert word in text, word
    status = client.get("/api/v1/me/status", **lang)
    assert status.status_code == 200, status.content
    (shown,) = status.json()["temporary_plates"]
    assert shown["number"] == plate.display and shown["state"] == "valid"
    assert shown["days_left"] == 2 and shown["valid_to"] == "2026-11-26"
    assert "temporary_plate_ending" in {s["kind"] for s in status.json()["next_steps"]}
