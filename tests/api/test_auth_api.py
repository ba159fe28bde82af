import re

import pytest

from tests.factories import (
    CitizenFactory,
    OfficerFactory,
    PersonFactory,
    make_id_number,
    make_phone,
)
from vmo.accounts.models import ApiToken, User
from vmo.notices.models import Message

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
SIGNUP = "/api/v1/auth/signup"
VERIFY = "/api/v1/auth/signup/verify"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PASSWORD = "Correct-Horse-42"


def post(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def test_token_with_phone_and_password_then_use_it(client):
    citizen = CitizenFactory()
    response = post(
        client, TOKEN, {"identifier": citizen.person.phone, "password": PASSWORD, "name": "my app"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "my app" and body["expires_at"].endswith("+08:00")
    token = ApiToken.objects.get(user=citizen)
    assert body["token"] not in token.token_hash  # only the hash is kept
    status = client.get("/api/v1/me/status", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert status.status_code == 200


def test_token_with_id_number(client):
    citizen = CitizenFactory()
    response = post(client, TOKEN, {"identifier": citizen.person.id_number, "password": PASSWORD})
    assert response.status_code == 201 and response.json()["name"] == "API client"


def test_wrong_password_is_401_in_the_error_shape(client):
    citizen = CitizenFactory()
    response = post(
        client, TOKEN, {"identifier": citizen.person.phone, "password": "wrong-password"}, **EN
    )
    assert response.status_code == 401
    assert response.json()["errors"] == [
        {
            "field": None,
            "code": "invalid_credentials",
            "message": "The mobile number, ID number or password is wrong.",
        }
    ]
    assert not ApiToken.objects.exists()


def test_lockout_after_five_failures_applies_to_the_api(client):
    citizen = CitizenFactory()
    for _ in range(4):
        assert (
            post(
                client, TOKEN, {"identifier": citizen.person.phone, "password": "wrong-password"}
            ).status_code
            == 401
        )
    fifth = post(
        client, TOKEN, {"identifier": citizen.person.phone, "password": "wrong-password"}, **EN
    )
    assert fifth.status_code == 429 and fifth.json()["errors"][0]["code"] == "locked_out"
    # Now even the right password is refused, in the API's JSON shape (not axes' lockout page).
    response = post(client, TOKEN, {"identifier": citizen.person.phone, "password": PASSWORD}, **EN)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["code"] == "locked_out"
    assert not ApiToken.objects.exists()


def test_officers_get_no_token(client):
    officer = OfficerFactory()
    right = post(client, TOKEN, {"identifier": officer.username, "password": "Officer-Pass-42"})
    wrong = post(client, TOKEN, {"identifier": officer.username, "password": "Not-The-Pass-1"})
    # Finding 9: a right officer password answers exactly as a wrong one.
    assert right.status_code == wrong.status_code == 401
    assert right.json() == wrong.json()
    assert not ApiToken.objects.exists()


def test_token_endpoint_is_throttled(client):
    for _ in range(10):
        post(client, TOKEN, {"identifier": "13900000000", "password": "x"})
    response = post(client, TOKEN, {"identifier": "13900000000", "password": "x"}, **EN)
    assert response.status_code == 429
    (error,) = response.json()["errors"]
    assert error["code"] == "throttled" and error["message"].startswith("Too many requests.")
    assert int(response["Retry-After"]) >= 1


def sent_code() -> str:
    body = Message.objects.filter(kind="code.signup").latest("created_at", "id").body
    return re.search(r"\d{6}", body).group(0)


def _api_sign_up(client, *, name: str, id_number: str, phone: str):
    start = post(client, SIGNUP, {"name": name, "id_number": id_number, "phone": phone})
    assert start.status_code == 202, start.content
    finish = post(
        client,
        VERIFY,
        {
            "code_id": start.json()["code_id"],
            "code": sent_code(),
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert finish.status_code == 201, finish.content
    return finish.json()["token"]


def test_signup_with_the_phone_on_record_gives_a_working_token(client):
    person = PersonFactory(name="张伟", phone=make_phone(777))
    token = _api_sign_up(client, name="张伟", id_number=person.id_number, phone=make_phone(777))
    user = User.objects.get(person=person)
    assert ApiToken.objects.get(user=user).name == "sign-up"
    me = client.get("/api/v1/me/status", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200


def test_signup_with_a_new_phone_sees_nothing_and_changes_nothing(client):
    """Issue 12 finding 1, as reported: name + ID number + a new phone, then /me/status."""
    person = PersonFactory(name="张伟", phone=make_phone(778))
    token = _api_sign_up(client, name="张伟", id_number=person.id_number, phone=make_phone(779))
    me = client.get("/api/v1/me/status", HTTP_AUTHORIZATION=f"Bearer {token}", **EN)
    assert me.status_code == 403
    assert me.json()["errors"][0]["code"] == "identity_not_verified"
    person.refresh_from_db()
    assert person.phone == make_phone(778)
    assert not User.objects.filter(person=person).exists()


def test_signup_lists_every_service_problem_at_once(client):
    # The schema's formats first, every one at once...
    response = post(
        client, SIGNUP, {"name": "1", "id_number": "65230119900101123", "phone": "12345"}, **EN
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "id_number", "phone"}
    assert all(e["message"] and e["code"] for e in response.json()["errors"])
    # ...then what a pattern cannot say: the check digit.
    response = post(
        client, SIGNUP, {"name": "王芳", "id_number": "652301199001011239", "phone": "13800138000"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["id_number"]
    assert not Message.objects.exists()


def test_verify_with_a_wrong_code_and_mismatched_passwords_lists_both(client):
    start = post(
        client,
        SIGNUP,
        {"name": "王芳", "id_number": make_id_number(4242), "phone": make_phone(4242)},
    )
    assert start.status_code == 202, start.content
    wrong = "000000" if sent_code() != "000000" else "111111"
    response = post(
        client,
        VERIFY,
        {
            "code_id": start.json()["code_id"],
            "code": wrong,
            "password": PASSWORD,
            "password_confirm": "Other-Horse-42",
        },
        **EN,
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"code", "password_confirm"}
    assert not User.objects.filter(kind="citizen").exists()


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(client):
    for n in range(10):
        post(
            client,
            TOKEN,
            {"identifier": "13900000000", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    response = post(
        client,
        TOKEN,
        {"identifier": "13900000000", "password": "x"},
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert response.status_code == 429
