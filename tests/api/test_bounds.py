"""Issue 12, finding 7: page numbers, page sizes and bodies have bounds, and refusals keep the
API's error shape."""

import pytest
from django.test import override_settings

from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775807"


@pytest.mark.parametrize("url", ["/api/v1/announcements", "/api/v1/publications"])
def test_a_page_number_beyond_any_list_is_refused_in_the_error_shape(client, url):
    """Finding 7: page=2**63-1 answered a 500 (an OFFSET PostgreSQL cannot hold)."""
    response = client.get(url, {"page": HUGE}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


@pytest.mark.parametrize("url", ["/api/v1/me/messages/", "/api/v1/me/data-access"])
def test_personal_lists_refuse_huge_pages_and_page_sizes(client, bearer, url):
    """Finding 7: messages and the data-access log, pages and page_size unbounded."""
    headers = bearer(CitizenFactory())
    assert client.get(url, {"page": HUGE}, **headers).status_code == 422
    response = client.get(url, {"page_size": "1000000"}, **headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page_size"
    assert client.get(url, {"page_size": "100"}, **headers).status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_answers_413_in_the_error_shape(client):
    """Finding 7: an oversized JSON body gave an HTML 400 (a 500 with a traceback in dev)."""
    body = '{"name": "' + "x" * 2000 + '"}'
    response = client.post("/api/v1/auth/signup", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"
