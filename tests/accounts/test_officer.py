from __future__ import annotations

import base64
from io import StringIO
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import CitizenFactory, OfficerFactory
from vmo.accounts.models import User
from vmo.accounts.services import officer_create
from vmo.core.selectors import events_for

pytestmark = pytest.mark.django_db

OFFICER_PASSWORD = "Officer-Pass-42"  # OfficerFactory's


def token_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def officer_sign_in(
    client: Client,
    officer: User,
    token: str | None = None,
    password: str = OFFICER_PASSWORD,
    **extra,
):
    device = officer.totpdevice_set.get()
    data = {
        "identifier": officer.username,
        "password": password,
        "otp_token": token or token_now(device),
        **extra,
    }
    return client.post(reverse("accounts:officer_login"), data)


def test_officer_signs_in_with_password_and_totp(client):
    officer = OfficerFactory()
    response = officer_sign_in(client, officer)
    assert response.status_code == 302
    assert response.url == reverse("office:home")
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == officer.totpdevice_set.get().persistent_id
    assert client.get(reverse("accounts:login")).wsgi_request.user.is_verified()


def test_wrong_totp_is_refused_and_counted(client):
    officer = OfficerFactory()
    good = token_now(officer.totpdevice_set.get())
    response = officer_sign_in(client, officer, token=f"{(int(good) + 1) % 1000000:06d}")
    assert response.status_code == 200
    assert "The username, password or authenticator code is wrong." in response.text
    assert "_auth_user_id" not in client.session


def test_five_wrong_totp_codes_lock_the_officer(client):
    officer = OfficerFactory()
    for _ in range(4):
        assert officer_sign_in(client, officer, token="000000").status_code == 200
    assert officer_sign_in(client, officer, token="000000").status_code == 429
    assert officer_sign_in(client, officer).status_code == 429


def test_totp_is_required(client):
    officer = OfficerFactory()
    response = client.post(
        reverse("accounts:officer_login"),
        {"identifier": officer.username, "password": OFFICER_PASSWORD},
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "_auth_user_id" not in client.session


def test_a_totp_code_works_once():
    officer = OfficerFactory()
    token = token_now(officer.totpdevice_set.get())
    assert officer_sign_in(Client(), officer, token=token).status_code == 302
    assert (
        officer_sign_in(Client(HTTP_ACCEPT_LANGUAGE="en"), officer, token=token).status_code == 200
    )


def test_wrong_password_with_right_totp_is_refused(client):
    officer = OfficerFactory()
    response = officer_sign_in(client, officer, password="not-it")
    assert "The username, password or authenticator code is wrong." in response.text
    assert "_auth_user_id" not in client.session


def test_citizens_are_refused_on_the_officer_form(client):
    citizen = CitizenFactory()
    response = client.post(
        reverse("accounts:officer_login"),
        {"identifier": citizen.person.phone, "password": "Correct-Horse-42", "otp_token": "123456"},
    )
    wrong = client.post(
        reverse("accounts:officer_login"),
        {"identifier": citizen.person.phone, "password": "Not-The-Pass-1", "otp_token": "123456"},
    )
    assert response.status_code == wrong.status_code == 200
    # A citizen's right password answers as a wrong one: the page confirms no password.
    assert "The username, password or authenticator code is wrong." in response.text
    assert "This page is for officers of the office." not in response.text
    assert "_auth_user_id" not in client.session


# --- Creating officers ----------------------------------------------------------------------


def test_officer_create_gives_a_confirmed_totp_device():
    admin = OfficerFactory(role="admin")
    officer, device = officer_create(
        actor=admin,
        username="Li.Ming",
        full_name="李 明",
        role="reviewer",
        password="Tianshan-Road-9",
    )
    assert (officer.username, officer.first_name, officer.kind, officer.role) == (
        "li.ming",
        "李 明",
        "officer",
        "reviewer",
    )
    assert not officer.is_staff and not officer.is_superuser
    assert device.confirmed and device.user == officer and len(device.bin_key) == 20
    assert officer.check_password("Tianshan-Road-9")
    event = events_for(officer).get()
    assert (event.action, event.actor_id, event.after) == (
        "officer.create",
        admin.pk,
        {"username": "li.ming", "role": "reviewer"},
    )


def test_administrators_may_use_the_django_admin():
    user, _device = officer_create(
        actor=None, username="root1", full_name="管理员", role="admin", password="Tianshan-Road-9"
    )
    assert user.is_staff and user.is_superuser


def test_officer_create_reports_every_problem():
    OfficerFactory(username="taken")
    with pytest.raises(ValidationError) as caught:
        officer_create(actor=None, username="taken", full_name="", role="chief", password="123")
    errors = caught.value.message_dict
    assert set(errors) == {"username", "full_name", "role", "password"}
    assert errors["username"] == ["This username is taken."]
    assert User.objects.count() == 1


def test_officer_create_command_prints_secret_uri_and_writes_qr(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command(
        "officer_create",
        "--username",
        "wang",
        "--name",
        "王警官",
        "--role",
        "clerk",
        "--password",
        "Tianshan-Road-9",
        "--qr",
        stdout=out,
    )
    text = out.getvalue()
    device = TOTPDevice.objects.get(user__username="wang")
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert f"TOTP secret (base32): {secret}" in text
    uri = next(
        line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("otpauth URI")
    )
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert unquote(parsed.path).endswith(":wang")
    assert parse_qs(parsed.query)["secret"] == [secret]
    png = tmp_path / "totp-wang.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "password:" not in text  # it was given, so it is not echoed


def test_officer_create_command_makes_a_password_when_none_is_given(settings, tmp_path):
    out = StringIO()
    call_command(
        "officer_create", "--username", "zhao", "--name", "赵警官", "--role", "auditor", stdout=out
    )
    password = next(
        line.split(": ", 1)[1]
        for line in out.getvalue().splitlines()
        if line.startswith("password:")
    )
    assert User.objects.get(username="zhao").check_password(password)


def test_officer_create_command_refuses_bad_input():
    with pytest.raises(CommandError, match="username"):
        call_command(
            "officer_create",
            "--username",
            "x",
            "--name",
            "赵警官",
            "--role",
            "clerk",
            "--password",
            "Tianshan-Road-9",
        )


# --- The Django admin -----------------------------------------------------------------------


def test_admin_sends_anonymous_visitors_to_the_officer_sign_in(client):
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:officer_login"))


def test_admin_refuses_officers_who_are_not_administrators(client):
    officer_sign_in(client, OfficerFactory(role="supervisor"))
    response = client.get("/django-admin/", follow=True)
    assert response.status_code == 403


def test_admin_refuses_citizens(client):
    citizen = CitizenFactory()
    client.post(
        reverse("accounts:login"),
        {"identifier": citizen.person.phone, "password": "Correct-Horse-42"},
    )
    assert client.get("/django-admin/", follow=True).status_code == 403


def test_admin_for_verified_administrators_never_shows_password_hashes(client):
    admin, _device = officer_create(
        actor=None, username="root1", full_name="管理员", role="admin", password="Tianshan-Road-9"
    )
    citizen = CitizenFactory()
    assert officer_sign_in(client, admin, password="Tianshan-Road-9").status_code == 302
    assert client.get("/django-admin/").status_code == 200
    for url in (
        "/django-admin/accounts/user/",
        f"/django-admin/accounts/user/{citizen.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert citizen.password not in response.text
        assert admin.password not in response.text
        assert citizen.person.id_number not in response.text


def test_administrator_without_totp_session_is_not_let_in(client):
    admin, _device = officer_create(
        actor=None, username="root1", full_name="管理员", role="admin", password="Tianshan-Road-9"
    )
    client.force_login(admin)  # password only, no verified device
    assert client.get("/django-admin/", follow=True).status_code == 403
