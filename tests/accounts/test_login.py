from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import CitizenFactory, OfficerFactory, make_phone
from vmo.accounts.services import SIGNIN_IP_LIMIT
from vmo.core.clock import OFFICE_TZ

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"  # CitizenFactory's
LOGIN = "/accounts/login/"


def sign_in(client: Client, identifier: str, password: str = PASSWORD, **extra: str):
    return client.post(
        reverse("accounts:login"), {"identifier": identifier, "password": password, **extra}
    )


def signed_in(client: Client) -> bool:
    return client.get(reverse("accounts:login")).wsgi_request.user.is_authenticated


def test_login_url_is_where_settings_point():
    assert reverse("accounts:login") == LOGIN


def test_sign_in_by_phone(client):
    user = CitizenFactory()
    response = sign_in(client, user.person.phone)
    assert response.status_code == 302
    assert response.url == reverse("portal:my_status")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_by_phone_typed_with_spaces_and_country_code(client):
    user = CitizenFactory()
    phone = user.person.phone
    assert sign_in(client, f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_by_id_number(client):
    user = CitizenFactory()
    response = sign_in(client, user.person.id_number)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_follows_a_local_next_only(client):
    user = CitizenFactory()
    assert sign_in(client, user.person.phone, next="/guide/").url == "/guide/"
    client.post(reverse("accounts:logout"))
    assert sign_in(client, user.person.phone, next="https://evil.example/").url == reverse(
        "portal:my_status"
    )


def test_wrong_password_is_refused_with_one_message(client):
    user = CitizenFactory()
    response = sign_in(client, user.person.phone, "not-the-password")
    assert response.status_code == 200
    assert "do not match any account" in response.text
    assert 'value="' + user.person.phone + '"' in response.text  # what was typed is kept
    assert not signed_in(client)


def test_empty_form_names_every_missing_field(client):
    response = client.post(reverse("accounts:login"), {})
    assert response.text.count("This field is required.") >= 2


def test_officers_cannot_sign_in_on_the_citizen_form(client):
    officer = OfficerFactory()
    response = sign_in(client, officer.username, "Officer-Pass-42")
    wrong = sign_in(client, officer.username, "Not-The-Pass-1")
    assert response.status_code == wrong.status_code == 200
    # Finding 9 (behaviour changed on purpose): the citizen page no longer tells a right
    # officer password from a wrong one; both count towards the officer's lockout.
    assert "do not match any account" in response.text
    assert "Officers sign in on the officer sign-in page." not in response.text
    assert AccessAttempt.objects.get().failures_since_start == 2
    assert not signed_in(client)


def test_sign_up_and_reset_pages_are_limited_per_address(client):
    """Finding 3: the sign-up page had no rate limit at all."""
    from vmo.accounts.services import ADDRESS_LIMITS

    for name, action, data in (
        ("accounts:signup", "signup", {"name": "张伟", "id_number": "x", "phone": "1"}),
        ("accounts:password_reset", "reset", {"identifier": "x"}),
    ):
        limit, _window = ADDRESS_LIMITS[action]
        for _ in range(limit):
            assert client.post(reverse(name), data).status_code == 200
        refused = client.post(reverse(name), data)
        assert refused.status_code == 429
        assert "Too many requests from your network." in refused.text
        # Another address is not affected.
        assert client.post(reverse(name), data, REMOTE_ADDR="10.9.9.9").status_code == 200


def test_lockout_after_five_failures(client):
    user = CitizenFactory()
    for _ in range(4):
        assert sign_in(client, user.person.phone, "wrong-password").status_code == 200
    locked = sign_in(client, user.person.phone, "wrong-password")
    assert locked.status_code == 429
    assert "accounts/locked.html" in [t.name for t in locked.templates]
    assert "try again in 30 minutes" in locked.text
    # Even the right password is refused while locked.
    again = sign_in(client, user.person.phone)
    assert again.status_code == 429
    assert not signed_in(client)


def test_lock_ends_after_the_cool_off():
    start = datetime(2025, 3, 3, 10, 0, tzinfo=OFFICE_TZ)
    user = CitizenFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            sign_in(client, user.person.phone, "wrong-password")
        traveller.shift(timedelta(minutes=29))
        assert sign_in(client, user.person.phone).status_code == 429
        traveller.shift(timedelta(minutes=31))
        assert sign_in(client, user.person.phone).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client):
    user = CitizenFactory()
    for _ in range(4):
        sign_in(client, user.person.phone, "wrong-password")
    assert sign_in(client, user.person.phone).status_code == 302
    client.post(reverse("accounts:logout"))
    assert sign_in(client, user.person.phone, "wrong-password").status_code == 200


def test_lockout_key_joins_phone_and_id_number_and_hides_them(client, settings):
    settings.AXES_USERNAME_CALLABLE = "vmo.accounts.selectors.lockout_key"
    user = CitizenFactory()
    for identifier in [user.person.phone] * 3 + [user.person.id_number]:
        assert sign_in(client, identifier, "wrong-password").status_code == 200
    assert sign_in(client, user.person.id_number, "wrong-password").status_code == 429
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [f"account:{user.pk}"]


def test_sign_in_attempts_are_limited_per_address(client):
    user = CitizenFactory()
    for n in range(SIGNIN_IP_LIMIT):
        assert sign_in(client, make_phone(500 + n), "wrong-password").status_code == 200
    refused = sign_in(client, user.person.phone)
    assert refused.status_code == 429
    assert "Too many sign-in attempts from your network" in refused.text
    assert not signed_in(client)
    # Another address is not affected.
    other = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="10.0.0.2")
    assert sign_in(other, user.person.phone).status_code == 302


def test_sign_out_needs_post(client):
    user = CitizenFactory()
    sign_in(client, user.person.phone)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert not signed_in(client)


def test_sign_out_everywhere_ends_the_other_sessions():
    user = CitizenFactory()
    phone_browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    laptop = Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(phone_browser, user.person.phone)
    sign_in(laptop, user.person.phone)
    assert signed_in(phone_browser) and signed_in(laptop)
    response = laptop.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert not signed_in(laptop)
    assert not signed_in(phone_browser)
    # Signing in again works, with a fresh session.
    assert sign_in(phone_browser, user.person.phone).status_code == 302


def test_sign_out_everywhere_needs_a_signed_in_user(client):
    response = client.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_idle_session_ends_after_30_minutes():
    start = datetime(2025, 3, 3, 10, 0, tzinfo=OFFICE_TZ)
    user = CitizenFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, user.person.phone)
        traveller.shift(timedelta(minutes=29))
        assert signed_in(client)  # and this request extends the session
        traveller.shift(timedelta(minutes=29))
        assert signed_in(client)
        traveller.shift(timedelta(minutes=31))
        assert not signed_in(client)


def test_pages_render_for_anonymous_visitors(client):
    for name in ("login", "signup", "password_reset", "officer_login"):
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 200
        assert "<h1>" in response.text
