import pytest

from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

SIGNUP = "/api/v1/auth/signup"


def post(client, url, data, **extra):
    return client.post(url, data, content_type="application/json", **extra)


def test_every_bad_field_is_listed_at_once(client):
    response = post(client, SIGNUP, {"name": 5, "id_number": "6" * 30}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"name", "id_number", "phone"}
    assert errors["phone"] == {
        "field": "phone",
        "code": "missing",
        "message": "This field is required.",
    }
    assert errors["id_number"]["code"] == "string_pattern_mismatch"  # the schema's pattern
    assert errors["id_number"]["message"] == "Enter a valid value."
    assert errors["name"]["message"] == "Send text (a JSON string)."


def test_messages_are_chinese_by_default(client):
    response = post(client, SIGNUP, {})
    assert response.status_code == 422
    messages = {e["message"] for e in response.json()["errors"]}
    assert messages == {"这个字段是必填项。"}
    assert len(response.json()["errors"]) == 3


def test_messages_are_english_on_request(client):
    response = post(client, SIGNUP, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert {e["message"] for e in response.json()["errors"]} == {"This field is required."}


def test_unreadable_json_is_400_in_the_error_shape(client):
    response = client.post(
        SIGNUP, "{not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "bad_request"


def test_unknown_api_path_is_404_in_the_error_shape(client):
    response = client.get("/api/v1/no/such/thing", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": None, "code": "not_found", "message": "Not found."}]
    }


def test_bad_page_number_is_422(client, bearer):
    response = client.get(
        "/api/v1/me/data-access?page=0", **bearer(CitizenFactory()), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert (
        error["field"] == "page"
        and error["message"] == "Ensure this value is greater than or equal to 1."
    )
