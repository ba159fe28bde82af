"""Issue 12, finding 8: personal pages, documents and API answers carry no-store."""

import pytest

from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

NO_STORE = "no-store, private"


def test_a_signed_in_citizens_pages_are_not_stored(client):
    """Finding 8: personal pages carried no Cache-Control at all."""
    client.force_login(CitizenFactory())
    for url in ("/me/", "/me/data-access/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url


def test_api_answers_to_a_token_are_not_stored(client, bearer):
    """Finding 8: API answers with a bearer token carried no Cache-Control."""
    response = client.get("/api/v1/me/status", **bearer(CitizenFactory()))
    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE
    refused = client.get("/api/v1/me/status", HTTP_AUTHORIZATION="Bearer wrong")
    assert refused["Cache-Control"] == NO_STORE


def test_anonymous_public_pages_keep_their_caching(client):
    response = client.get("/announcements/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
