"""Finding 12 of issue 12: an honest schema. Every operation declares every refusal the API can
give, in the one error shape; bodies are read strictly (no `false` for a number, no list for an
object) and a refused body changes nothing; the office's formats are in the schema; downloads
declare their media types. The Schemathesis run (test_schemathesis.py) checks all of it by
fuzzing; these pin the cases the finding named."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.factories import CitizenFactory, make_id_number, make_plate, make_vin
from tests.violations.online_factories import camera_violation, owner_with_vehicle
from vmo.api.api import api
from vmo.api.contract import operations
from vmo.api.formats import ID_NUMBER_PATTERN, PLATE_PATTERN, VIN_PATTERN
from vmo.api.inputs import In
from vmo.api.plates import PoolType
from vmo.notices.models import Message
from vmo.notices.services import inbox_post
from vmo.plates.choices import PoolPlateType
from vmo.violations.models import Violation

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture(scope="module")
def spec():
    # As published: JSON (the status codes are strings there).
    return json.loads(json.dumps(api.get_openapi_schema(), ensure_ascii=False))


def _ops(spec):
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_every_operation_declares_the_refusals_it_can_give(spec):
    for path, method, op in _ops(spec):
        responses = op["responses"]
        # The intake reads its own body (CSV or JSON lines: 413, 415, 422) and has no rate limit.
        own_reader = path == "/api/v1/intake/violations"
        expected = set() if own_reader else {"429"}
        if "requestBody" in op:
            expected |= {"413", "422"} if own_reader else {"400", "413", "422"}
        if op.get("parameters"):
            expected.add("422")
        if op.get("security"):
            expected |= {"401", "403"}
        assert expected <= set(responses), (method, path, expected - set(responses))
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"] == ERROR_REF, (path, code)
                assert response["description"] and response["description"] != "Unknown Status Code"


def test_downloads_declare_their_media_types(spec):
    def media(path):
        return set(spec["paths"][path]["get"]["responses"]["200"]["content"])

    assert media("/api/v1/violations/{violation_id}/decision.pdf") == {"application/pdf"}
    assert media("/api/v1/applications/{reference}/documents/{document_id}") == {"application/pdf"}
    assert media("/api/v1/applications/{reference}/files/{file_id}") == {
        "image/jpeg",
        "image/png",
        "application/pdf",
    }


def test_formats_are_in_the_schema_with_patterns(spec):
    text = json.dumps(spec, ensure_ascii=False)
    for fmt, pattern in (
        ("cn-id-number", ID_NUMBER_PATTERN),
        ("vin", VIN_PATTERN),
        ("cn-plate", PLATE_PATTERN),
    ):
        assert f'"format": "{fmt}"' in text and json.dumps(pattern, ensure_ascii=False) in text
    # Real values of the office's rules match the patterns.
    for n in range(1, 50):
        assert re.fullmatch(ID_NUMBER_PATTERN, make_id_number(n))
        assert re.fullmatch(VIN_PATTERN, make_vin(n))
        assert re.fullmatch(PLATE_PATTERN, make_plate(n))
    assert re.fullmatch(PLATE_PATTERN, "新BD12345") and re.fullmatch(PLATE_PATTERN, "新B1234学")
    assert set(PoolType.__args__) == set(PoolPlateType.values)


def test_every_body_is_read_strictly():
    for operation in operations(api):
        for model in operation.models:
            if getattr(model, "__ninja_param_source__", None) != "body":
                continue
            for field in model.model_fields.values():
                types = getattr(field.annotation, "__args__", None) or (field.annotation,)
                for kind in types:
                    if isinstance(kind, type) and kind is not type(None):
                        assert issubclass(kind, In), (operation.path, kind)


def test_no_two_schemas_share_a_name():
    """Components are named by class name: two classes of one name would publish one schema
    for both (a status page once documented as an organisation's check)."""
    seen: dict[str, type] = {}

    def visit(model):
        for field in model.model_fields.values():
            for kind in (*getattr(field.annotation, "__args__", ()), field.annotation):
                for inner in (*getattr(kind, "__args__", ()), kind):
                    if isinstance(inner, type) and hasattr(inner, "model_fields"):
                        name = inner.__name__
                        assert seen.setdefault(name, inner) is inner, name
                        visit(inner)

    for operation in operations(api):
        for model in [*operation.models, *operation.response_models.values()]:
            if isinstance(model, type) and hasattr(model, "model_fields"):
                visit(model)


def _post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers, **EN)


def test_unreadable_json_is_a_declared_400_in_the_error_shape(spec):
    assert "400" in spec["paths"]["/api/v1/me/messages/read"]["post"]["responses"]
    response = Client().post(
        "/api/v1/auth/token", "{not json", content_type="application/json", **EN
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "bad_request"


def test_a_path_that_is_no_number_is_a_declared_422(spec, bearer):
    assert "422" in spec["paths"]["/api/v1/violations/{violation_id}"]["get"]["responses"]
    response = Client().get("/api/v1/violations/abc", **bearer(CitizenFactory()), **EN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "violation_id"


def test_false_is_not_a_vehicle_id(bearer):
    headers = bearer(owner_with_vehicle().user)
    body = {"business_code": "V03", "vehicle_id": False, "idempotency_key": "k" * 24}
    response = _post(Client(), "/api/v1/applications/", body, headers)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "vehicle_id" and error["code"] == "int_type"
    body["vehicle_id"] = "1"
    assert _post(Client(), "/api/v1/applications/", body, headers).status_code == 422


def test_a_list_is_not_the_object_mark_read_expects_and_marks_nothing(bearer):
    user = CitizenFactory()
    inbox_post(user=user, kind="test", subject="Hi", body="Body")
    for body in ("[null, null]", "[]", '"ids"', '{"ids": [true]}'):
        response = _post(Client(), "/api/v1/me/messages/read", body, bearer(user))
        assert response.status_code == 422, body
        assert response.json()["errors"][0]["code"] in {"model_type", "int_type"}
    assert Message.objects.get(user=user).read_at is None
    response = _post(Client(), "/api/v1/me/messages/read", "{}", bearer(user))
    assert response.status_code == 200 and response.json() == {"marked": 1}


def test_a_list_is_not_the_object_handle_expects_and_handles_nothing(bearer):
    owner = owner_with_vehicle()
    violation = camera_violation(owner.vehicle)
    before = Violation.objects.get(pk=violation.pk).handling_status
    url = f"/api/v1/violations/{violation.pk}/handle"
    response = _post(Client(), url, "[null, null]", bearer(owner.user))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "model_type"
    violation.refresh_from_db()
    assert violation.handling_status == before and not hasattr(violation, "decision")


def test_nul_and_lone_surrogates_are_refused_before_any_handler(bearer):
    headers = bearer(CitizenFactory())
    body = '{"vin": "LSVAU218XN2183294", "model_name": "\\ud800", "plate_type": "02"}'
    response = _post(Client(), "/api/v1/plates/draws", body, headers)
    assert response.status_code == 422
    assert "model_name" in response.json()["errors"][0]["message"]
