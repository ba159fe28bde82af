"""The QR is drawn, read back from the image with zxing-cpp, and verified offline with PyJWT
(not the library that signed it) against the key set as the public endpoint serves it."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import jwt
import pytest
import zxingcpp
from PIL import Image

from vmo.credentials import keys, qr, selectors, services

pytestmark = pytest.mark.django_db


def _published(client) -> jwt.PyJWKSet:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    body = response.json()
    assert all("d" not in key for key in body["keys"])  # never a private part
    return jwt.PyJWKSet.from_dict(body)


def _scan(text: str) -> str:
    image = Image.open(BytesIO(qr.qr_png(text)))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return found[0].text


def _decode(token: str, keyset: jwt.PyJWKSet) -> dict:
    kid = jwt.get_unverified_header(token)["kid"]
    matching = [k for k in keyset.keys if k.key_id == kid]
    if not matching:
        raise LookupError(kid)
    return jwt.decode(token, matching[0], algorithms=["EdDSA"], options={"require": ["exp", "iat"]})


def test_a_scanned_qr_verifies_offline_with_another_library(client, holder, frozen):
    user, _licence, _car = holder
    text = services.credential_issue_licence(card=selectors.licence_card(user.person))
    scanned = _scan(text)
    assert scanned == text
    claims = _decode(scanned, _published(client))
    assert claims["doc"] == "dl" and claims["name"] == user.person.name and claims["ok"] is True


def test_tampered_expired_and_rotated_out_are_refused_by_the_other_library(client, holder, frozen):
    user, _licence, _car = holder
    card = selectors.licence_card(user.person)
    text = _scan(services.credential_issue_licence(card=card))
    keyset = _published(client)

    header, payload, signature = text.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["st"] = "A"
    claims["cls"] = ["A1"]
    forged = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    with pytest.raises(jwt.InvalidSignatureError):
        _decode(f"{header}.{forged}.{signature}", keyset)

    frozen.shift(timedelta(minutes=5, seconds=1))
    with pytest.raises(jwt.ExpiredSignatureError):
        _decode(text, keyset)

    frozen.shift(timedelta(minutes=-5, seconds=-1))
    old_kid = keys.keys_list()[0].kid
    frozen.shift(timedelta(seconds=1))
    keys.key_create()
    assert _decode(text, _published(client))["doc"] == "dl"  # retired key still published
    keys.key_remove(old_kid)
    with pytest.raises(LookupError):
        _decode(text, _published(client))


def test_the_photo_reader_finds_the_code_in_a_larger_picture(holder, frozen):
    user, _licence, car = holder
    text = services.credential_issue_vehicle(card=selectors.vehicle_card(user.person, pk=car.pk))
    code = Image.open(BytesIO(qr.qr_png(text)))
    photo = Image.new("RGB", (code.width + 300, code.height + 200), "white")
    photo.paste(code, (150, 100))
    out = BytesIO()
    photo.save(out, format="JPEG", quality=90)
    out.seek(0)
    assert qr.qr_text_from_photo(out) == text
