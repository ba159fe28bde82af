"""What an attacker could try on the public verifier and the check pages: many checks from one
address (each costs a signature check or an image decode), other barcodes and other QR texts,
text too long to be a credential, a replayed screenshot, and answers left in a browser's
history."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import pytest
import zxingcpp
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.checks.test_organisations import _code, body, uscc
from tests.factories import OfficerFactory
from vmo.accounts.services import ADDRESS_LIMITS
from vmo.checks import org_services
from vmo.checks.models import Scope
from vmo.credentials import qr, selectors, services
from vmo.credentials.verify import MAX_LENGTH
from vmo.credentials.views import VERIFY_ACTION

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LIMIT = 3


def _text(user) -> str:
    return services.credential_issue_licence(card=selectors.licence_card(user.person))


def _photo(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("p.png", data, content_type="image/png")


def test_the_verifier_is_limited_per_address_without_opening_the_upload(
    client, holder, frozen, monkeypatch, settings
):
    settings.VMO_TRUSTED_PROXIES = 0
    monkeypatch.setitem(ADDRESS_LIMITS, VERIFY_ACTION, (LIMIT, 60))
    text = _text(holder[0])
    for n in range(LIMIT):  # below and at the limit; a rotated header changes nothing
        ok = client.post("/verify/", {"text": text}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        assert ok.status_code == 200 and 'data-outcome="valid"' in ok.content.decode()
    over = client.post("/verify/", {"photo": _photo(qr.qr_png(text))}, **EN)
    page = over.content.decode()
    assert over.status_code == 429 and "Too many checks from your network" in page
    assert "data-outcome" not in page  # the photo was not decoded, nothing was verified
    other = client.post("/verify/", {"text": text}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 200
    assert client.get("/verify/").status_code == 200  # reading the page is never limited


def test_the_verifier_behind_nginx_limits_the_client_not_the_proxy(
    client, holder, frozen, monkeypatch, settings
):
    settings.VMO_TRUSTED_PROXIES = 1
    monkeypatch.setitem(ADDRESS_LIMITS, VERIFY_ACTION, (LIMIT, 60))
    text = _text(holder[0])
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    codes = [
        client.post("/verify/", {"text": text}, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
        for _ in range(LIMIT + 1)
    ]
    assert [c.status_code for c in codes] == [200] * LIMIT + [429]
    assert (
        client.post(
            "/verify/", {"text": text}, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy
        ).status_code
        == 200
    )


def test_other_barcodes_and_other_qr_texts_get_a_clear_answer(client, holder, frozen):
    code128 = zxingcpp.write_barcode_to_image(
        zxingcpp.create_barcode("VMO-12345", zxingcpp.BarcodeFormat.Code128), scale=4
    )
    out = BytesIO()
    pixels = memoryview(code128)
    Image.frombytes("L", (pixels.shape[1], pixels.shape[0]), pixels.tobytes()).save(out, "PNG")
    response = client.post("/verify/", {"photo": _photo(out.getvalue())}, **EN)
    assert response.status_code == 422 and "No QR code was found" in response.content.decode()
    url_qr = client.post("/verify/", {"photo": _photo(qr.qr_png("https://example.com/"))}, **EN)
    assert url_qr.status_code == 422
    assert 'data-outcome="not_credential"' in url_qr.content.decode()


def test_text_longer_than_any_credential_is_refused_with_its_limit(client, frozen):
    response = client.post("/verify/", {"text": "a.b." + "c" * MAX_LENGTH}, **EN)
    page = response.content.decode()
    assert response.status_code == 422 and "error-summary" in page
    assert f"at most {MAX_LENGTH} characters" in page and "data-outcome" not in page


def test_a_replayed_code_shows_when_it_was_signed_and_stops_at_its_expiry(client, holder, frozen):
    text = _text(holder[0])
    frozen.shift(timedelta(minutes=4))
    replay = client.post("/verify/", {"text": text}, **EN)
    page = replay.content.decode()
    # Within its lifetime a screenshot verifies: the page says when it was signed (10:00 in
    # the office's time zone), so the checker can compare it with the holder's screen.
    assert 'data-outcome="valid"' in page and "Signed at" in page
    assert "2026-05-20 10:00:00" in page and "2026-05-20 10:05:00" in page
    assert "ask them to refresh it in front of you" in page
    assert replay["Cache-Control"] == "no-store"
    frozen.shift(timedelta(minutes=1))
    assert 'data-outcome="expired"' in client.post("/verify/", {"text": text}).content.decode()


def test_answers_naming_a_holder_are_not_kept_in_a_browsers_history(client, holder, frozen):
    user, licence, _car = holder
    officer = OfficerFactory(role="supervisor")
    org = org_services.organisation_register(
        actor=officer, name="神州租车昌吉店", kind="car_rental", uscc=uscc()
    )
    _, raw = org_services.key_issue(
        actor=officer, organisation_id=org.pk, label="desk", scopes=[Scope.LICENCE]
    )
    _, code = _code(user, uses=3)
    tail = licence.file_number[-6:]
    page = client.post(
        "/check/",
        {"code": code, "licence_tail": tail, "organisation": "x", "purpose": "rental"},
    )
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "checks/result.html" in [t.name for t in page.templates]
    api = client.post(
        "/api/v1/checks",
        json.dumps(body(code, tail=tail)),
        content_type="application/json",
        HTTP_X_API_KEY=raw,
    )
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
