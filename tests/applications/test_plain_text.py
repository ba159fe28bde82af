"""Finding 11 of issue 12: a recipient, a postal address or a free-text answer carrying control
or text-direction characters ("Trojan Source": U+202E makes an address read backwards) is
refused, on the page and in the API alike, with a message naming the field; nothing is saved."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.applications.conftest import start
from vmo.accounts.services import api_token_create
from vmo.applications.models import Application, Delivery
from vmo.core.text import unsafe_characters

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MAIL = {
    "method": "mail",
    "recipient": "张三",
    "phone": "13800138000",
    "address": "昌吉市延安北路1号",
}


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("昌吉市延安北路1号", []),
        ("阿依古丽·买买提", []),  # the middle dot of minority names is text
        ("昌吉市\u202e号1路北安延", ["\u202e"]),
        ("\u2066张三\u2069", ["\u2066", "\u2069"]),
        ("张\u200f三", ["\u200f"]),
        ("张三\x00", ["\x00"]),
        ("张三\n李四\r", ["\n", "\r"]),
        ("\x1b[31m张三", ["\x1b"]),
    ],
)
def test_the_rule(text, refused):
    assert unsafe_characters(text) == refused


def test_the_page_refuses_an_override_in_the_address_and_names_the_field(owner):
    vehicle = owner.person.vehicles.get()
    app = start(owner, "V03", vehicle_id=vehicle.pk)
    client = Client()
    client.force_login(owner)
    response = client.post(
        f"/applications/{app.reference}/form/",
        {
            "loss_reason": "stolen",
            "delivery_method": "mail",
            "delivery_recipient": "张\u202e三",
            "delivery_phone": "13800138000",
            "delivery_address": "昌吉市\u2067延安北路1号",
        },
        **EN,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The recipient&#x27;s name contains characters that are not allowed" in html
    assert "The postal address contains characters that are not allowed" in html
    assert "U+202E" in html and "U+2067" in html
    assert not Delivery.objects.exists()
    app.refresh_from_db()
    assert app.data == {}


def test_the_api_refuses_control_characters_in_recipient_and_address(owner):
    vehicle = owner.person.vehicles.get()
    app = start(owner, "V03", vehicle_id=vehicle.pk)
    raw, _ = api_token_create(user=owner, name="test")
    response = Client().put(
        f"/api/v1/applications/{app.reference}",
        {
            "data": {"loss_reason": "stolen"},
            "delivery": {**MAIL, "recipient": "张三\x07", "address": "昌吉市\u202d延安北路"},
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        **EN,
    )
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"delivery_recipient", "delivery_address"}
    assert errors["delivery_recipient"]["code"] == "invalid"
    assert "The recipient's name contains" in errors["delivery_recipient"]["message"]
    assert "U+0007" in errors["delivery_recipient"]["message"]
    assert "The postal address contains" in errors["delivery_address"]["message"]
    assert not Delivery.objects.exists()
    assert Application.objects.get(pk=app.pk).data == {}


def test_a_free_text_answer_of_the_same_form_obeys_the_same_rule(holder):
    app = start(holder, "D09")
    raw, _ = api_token_create(user=holder, name="test")
    response = Client().put(
        f"/api/v1/applications/{app.reference}",
        {"data": {"phone": "13800138000", "address": "延安北路\u202e1号"}},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        **EN,
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "address" and "New contact address contains" in error["message"]


def test_plain_text_is_still_saved(owner):
    vehicle = owner.person.vehicles.get()
    app = start(owner, "V03", vehicle_id=vehicle.pk)
    raw, _ = api_token_create(user=owner, name="test")
    response = Client().put(
        f"/api/v1/applications/{app.reference}",
        {"data": {"loss_reason": "stolen"}, "delivery": MAIL},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.json()
    assert Delivery.objects.get().address == "昌吉市延安北路1号"
