"""POST /api/v1/intake/violations: intake keys, CSV and JSON lines, every refusal listed."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from tests.factories import CitizenFactory
from vmo.accounts.services import api_token_create
from vmo.core.clock import OFFICE_TZ
from vmo.core.models import Event
from vmo.violations.intake import intake_client_create, intake_client_set_active
from vmo.violations.models import IntakeBatch, IntakeClient, Violation

from .intake_helpers import csv_text, jsonl_text, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

URL = "/api/v1/intake/violations"


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=OFFICE_TZ), tick=False):
        yield


@pytest.fixture
def key():
    raw, _client = intake_client_create(name="Changji camera platform")
    return raw


def post(client, body: str, content_type: str, key: str | None = None, **headers):
    if key is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.generic("POST", URL, body.encode(), content_type=content_type, **headers)


def test_a_key_is_required(client):
    response = post(client, csv_text([record(1)]), "text/csv")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"
    assert not IntakeBatch.objects.exists()


def test_a_wrong_key_is_refused(client, key):
    response = post(client, csv_text([record(1)]), "text/csv", key=key + "x")
    assert response.status_code == 401
    assert not Violation.objects.exists()


def test_a_deactivated_client_is_refused(client, key):
    intake_client_set_active(client=IntakeClient.objects.get(), active=False, actor=None)
    assert post(client, csv_text([record(1)]), "text/csv", key=key).status_code == 401


def test_a_citizens_api_token_is_no_intake_key(client):
    raw, _token = api_token_create(user=CitizenFactory(), name="phone")
    assert post(client, csv_text([record(1)]), "text/csv", key=raw).status_code == 401


def test_csv_delivery_answers_201_with_the_summary_and_every_rejection(client, key):
    body = csv_text([record(1), record(2, code="9999", plate_number="新B1"), record(3)])
    response = post(client, body, "text/csv", key=key)
    assert response.status_code == 201, response.content
    data = response.json()
    batch = IntakeBatch.objects.get()
    assert data == {
        "batch": batch.pk,
        "total": 3,
        "loaded": 2,
        "duplicates": 0,
        "rejected": 1,
        "unmatched": 2,
        "rejections": [
            {
                "line": 3,
                "record_id": record(2)["record_id"],
                "errors": [
                    {
                        "field": "plate_number",
                        "code": "plate",
                        "message": "An ordinary plate has 5 characters after the authority letter.",
                    },
                    {
                        "field": "code",
                        "code": "unknown_code",
                        "message": "Violation code 9999 is not in the office's code table.",
                    },
                ],
            }
        ],
    }
    assert (batch.channel, batch.source_name, batch.client.name) == (
        "api",
        "Changji camera platform",
        "Changji camera platform",
    )
    assert IntakeClient.objects.get().last_used_at is not None


def test_jsonl_delivery_and_a_retry_counts_duplicates(client, key):
    body = jsonl_text([record(1), record(2)])
    first = post(client, body, "application/x-ndjson", key=key).json()
    again = post(client, body, "application/x-ndjson", key=key).json()
    assert (first["loaded"], first["duplicates"]) == (2, 0)
    assert (again["loaded"], again["duplicates"]) == (0, 2)
    assert Violation.objects.count() == 2


def test_other_content_types_are_refused(client, key):
    response = post(client, '{"a": 1}', "application/json", key=key)
    assert response.status_code == 415
    assert response.json()["errors"][0]["code"] == "unsupported_media_type"


def test_a_csv_without_the_required_columns_is_refused_whole(client, key):
    response = post(client, "record_id,place\nA1,p\n", "text/csv", key=key)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["code"] == "columns"
    assert "occurred_at" in error["message"]
    assert not IntakeBatch.objects.exists()


def test_an_empty_delivery_is_refused(client, key):
    response = post(client, "\n\n", "application/x-ndjson", key=key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "empty"


def test_a_body_that_is_not_utf8_is_refused(client, key):
    response = client.generic(
        "POST",
        URL,
        csv_text([record(1)]).encode("gb18030"),
        content_type="text/csv",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "encoding"


def test_a_body_over_the_limit_is_refused(client, key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    response = post(client, csv_text([record(n) for n in range(5)]), "text/csv", key=key)
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert set(operation["requestBody"]["content"]) == {"text/csv", "application/x-ndjson"}
    assert "201" in operation["responses"]


def test_client_keys_are_stored_as_hashes_and_the_creation_is_recorded():
    raw, client = intake_client_create(name="Radar vendor")
    assert raw.startswith("vmoi_") and len(raw) > 40
    assert client.prefix == raw[:8]
    assert raw not in client.key_hash
    event = Event.objects.get(action="intake_client.create")
    assert event.subject_id == str(client.pk)
