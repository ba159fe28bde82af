"""The pages, the API and the commands: holder-only, public verifier, bad uploads."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from tests.factories import CitizenFactory, VehicleFactory
from vmo.credentials import qr, selectors, services

pytestmark = pytest.mark.django_db


def _text(user) -> str:
    return services.credential_issue_licence(card=selectors.licence_card(user.person))


def test_the_holder_sees_the_card_with_a_qr_and_a_pdf_copy(client, holder, frozen):
    user, licence, car = holder
    client.force_login(user)
    response = client.get("/me/licence/")
    body = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert "<svg" in body and "6523****" in body and licence.file_number not in body
    assert "credential-ok" in body
    pdf = client.get("/me/licence/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    vehicle = client.get(f"/me/vehicles/{car.pk}/licence/")
    assert vehicle.status_code == 200 and "<svg" in vehicle.content.decode()
    assert client.get(f"/me/vehicles/{car.pk}/licence/pdf/").content.startswith(b"%PDF")
    assert "/me/licence/" in client.get("/me/").content.decode()


def test_refreshing_issues_a_new_code(client, holder, frozen):
    client.force_login(holder[0])
    first = client.get("/me/licence/qr/").json()
    frozen.shift(timedelta(seconds=30))
    second = client.get("/me/licence/qr/").json()
    assert first["text"] != second["text"] and second["svg"].startswith("<svg")


def test_a_red_banner_in_words_for_a_suspended_licence(client, holder, frozen):
    user, licence, _car = holder
    licence.flags = licence.status = "D"
    licence.save()
    client.force_login(user)
    body = client.get("/me/licence/").content.decode()
    assert "credential-bad" in body and "credential-ok" not in body


def test_other_peoples_vehicles_and_people_without_a_licence_get_404(client, holder, frozen):
    user, _licence, _car = holder
    client.force_login(user)
    other = VehicleFactory()
    assert client.get(f"/me/vehicles/{other.pk}/licence/").status_code == 404
    assert client.get(f"/me/vehicles/{other.pk}/licence/qr/").status_code == 404
    assert client.get(f"/me/vehicles/{other.pk}/licence/pdf/").status_code == 404
    client.force_login(CitizenFactory())
    assert client.get("/me/licence/").status_code == 404
    assert client.get("/api/v1/me/credentials/licence").status_code == 404
    assert client.get(f"/api/v1/me/credentials/vehicles/{other.pk}").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, holder):
    assert client.get("/me/licence/").status_code == 302
    assert client.get("/api/v1/me/credentials/licence").status_code == 401


def test_the_verifier_page_answers_each_case(client, holder, frozen):
    text = _text(holder[0])
    ok = client.post("/verify/", {"text": text})
    assert ok.status_code == 200 and 'data-outcome="valid"' in ok.content.decode()
    assert holder[0].person.name in ok.content.decode()
    bad = client.post("/verify/", {"text": text[:-4] + "AAAA"})
    assert bad.status_code == 422 and 'data-outcome="tampered"' in bad.content.decode()
    junk = client.post("/verify/", {"text": "not a credential"})
    assert 'data-outcome="not_credential"' in junk.content.decode()
    empty = client.post("/verify/", {})
    assert empty.status_code == 422 and "error-summary" in empty.content.decode()
    frozen.shift(timedelta(minutes=6))
    late = client.post("/verify/", {"text": text})
    assert 'data-outcome="expired"' in late.content.decode()


def test_the_verifier_reads_a_photo(client, holder, frozen):
    text = _text(holder[0])
    photo = SimpleUploadedFile("qr.png", qr.qr_png(text), content_type="image/png")
    response = client.post("/verify/", {"photo": photo})
    assert 'data-outcome="valid"' in response.content.decode()


def _png(size: tuple[int, int], colour: str = "white") -> bytes:
    out = BytesIO()
    Image.new("L", size, colour).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x" * (qr.MAX_PHOTO_BYTES + 1), "5 MB"),
        (_png((8000, 6000)), "40 million"),
        (_png((400, 400)), "No QR code"),
        (b"GIF89a not really", "not a readable image"),
    ],
    ids=["too-large", "too-many-pixels", "no-qr", "not-an-image"],
)
def test_bad_photos_get_a_clear_answer(client, holder, data, message):
    photo = SimpleUploadedFile("p.png", data, content_type="image/png")
    response = client.post("/verify/", {"photo": photo}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and message in response.content.decode()
    assert "data-outcome" not in response.content.decode()


def test_the_api_issues_and_verifies(client, holder, frozen):
    user, _licence, car = holder
    client.force_login(user)
    issued = client.get("/api/v1/me/credentials/licence").json()
    assert issued["ok"] is True and issued["status_codes"] == "A"
    vehicle = client.get(f"/api/v1/me/credentials/vehicles/{car.pk}").json()
    assert vehicle["doc"] == "vl"
    client.logout()
    answer = client.post(
        "/api/v1/credentials/verify",
        {"credential": issued["credential"]},
        content_type="application/json",
    ).json()
    assert answer["outcome"] == "valid" and answer["claims"]["doc"] == "dl"
    refused = client.post(
        "/api/v1/credentials/verify", {"credential": "x.y.z"}, content_type="application/json"
    ).json()
    assert refused["outcome"] == "not_credential"


def test_status_lists_are_public_and_cacheable(client, holder):
    response = client.get("/credentials/status/dl.json")
    assert response.status_code == 200 and "max-age=60" in response["Cache-Control"]
    assert response.json()["encodedList"].startswith("u")
    assert client.get("/credentials/status/xx.json").status_code == 404


def test_key_commands_create_rotate_list_remove(capsys, key_dir):
    call_command("credential_keys", "create")
    with pytest.raises(CommandError):
        call_command("credential_keys", "create")
    call_command("credential_keys", "rotate")
    call_command("credential_keys", "list")
    rows = [line.split("\t") for line in capsys.readouterr().out.splitlines() if "\t" in line]
    assert [r[1] for r in rows] == ["retired", "active"]
    assert oct((key_dir / f"{rows[0][0]}.jwk").stat().st_mode)[-3:] == "600"
    with pytest.raises(CommandError):
        call_command("credential_keys", "remove", rows[1][0])
    call_command("credential_keys", "remove", rows[0][0])


def test_verify_credential_works_offline_from_files(client, holder, frozen, tmp_path, capsys):
    text = _text(holder[0])
    jwks = tmp_path / "jwks.json"
    jwks.write_text(client.get("/.well-known/jwks.json").content.decode())
    (tmp_path / "c.txt").write_text(text + "\n")
    (tmp_path / "c.png").write_bytes(qr.qr_png(text))
    call_command("verify_credential", str(tmp_path / "c.txt"), keys=str(jwks))
    assert json.loads(capsys.readouterr().out)["outcome"] == "valid"
    call_command("verify_credential", str(tmp_path / "c.png"), keys=str(jwks))
    assert json.loads(capsys.readouterr().out)["outcome"] == "valid"
    frozen.shift(timedelta(minutes=6))
    with pytest.raises(CommandError, match="expired"):
        call_command("verify_credential", str(tmp_path / "c.txt"), keys=str(jwks))
