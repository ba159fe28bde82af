"""Organisations and the check API: keys hashed and scoped, every call logged, and each bad
request (wrong, revoked or unscoped key, over the rate, a code used up) refused in the API's
error shape with nothing changed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CitizenFactory, LicenceFactory, OfficerFactory, VehicleFactory
from vmo.accounts.selectors import api_token_hash
from vmo.checks import org_services, services
from vmo.checks.models import CheckCode, OrganisationCall, OrganisationKey, Scope
from vmo.core.models import DataAccess, Event
from vmo.notices.models import Message
from vmo.registry.validators import uscc_check_char

pytestmark = pytest.mark.django_db
URL = "/api/v1/checks"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def uscc(body: str = "91652300MA78P3K2X") -> str:
    return body + uscc_check_char(body)


@pytest.fixture
def officer():
    return OfficerFactory(role="supervisor")


@pytest.fixture
def org(officer):
    return org_services.organisation_register(
        actor=officer,
        name="平安保险昌吉支公司",
        kind="insurer",
        uscc=uscc(),
        contact="0994-1234567",
    )


@pytest.fixture
def key(officer, org):
    return org_services.key_issue(
        actor=officer, organisation_id=org.pk, label="quotes", scopes=[Scope.LICENCE]
    )


@pytest.fixture
def holder():
    user = CitizenFactory()
    LicenceFactory(holder=user.person, file_number="652300123456", classes="C1")
    return user


def _code(holder, scope=Scope.LICENCE, uses=1, **kw):
    return services.code_create(
        user=holder, scope=scope, lifetime=timedelta(hours=1), max_uses=uses, **kw
    )


def call(client, raw, body, **extra):
    headers = {"HTTP_X_API_KEY": raw} if raw is not None else {}
    return client.post(
        URL, json.dumps(body), content_type="application/json", **headers, **EN, **extra
    )


def body(code, tail="123456", purpose="car insurance quote"):
    return {"code": code, "licence_tail": tail, "purpose": purpose}


def test_key_is_shown_once_and_stored_as_the_accounts_token_hash(key, officer):
    row, raw = key
    assert raw.startswith("vmoc_") and len(raw) > 40
    assert row.key_hash == api_token_hash(raw) and raw not in row.key_hash
    assert row.prefix == raw[: len(row.prefix)] and len(row.prefix) < 16
    assert row.scope_list == ["licence"]
    assert Event.objects.filter(action="checks.key_issued", subject_id=str(row.pk)).exists()


def test_register_names_every_problem_at_once(officer, org):
    with pytest.raises(ValidationError) as info:
        org_services.organisation_register(
            actor=officer, name=org.name, kind="bank", uscc="91652300MA78P3K2XQ"
        )
    assert set(info.value.message_dict) == {"name", "kind", "uscc"}
    with pytest.raises(ValidationError) as info:
        org_services.key_issue(actor=officer, organisation_id=org.pk, label="", scopes=["all"])
    assert set(info.value.message_dict) == {"label", "scopes"}


def test_good_call_answers_the_scope_only_logs_it_and_names_the_organisation(
    client, holder, key, org
):
    row, code = _code(holder, uses=2)
    response = call(client, key[1], body(code))
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"scope", "holder_name", "licence"}
    assert data["licence"]["classes"] == ["C1"] and "points" not in json.dumps(data)
    row.refresh_from_db()
    assert row.uses == 1
    access = DataAccess.objects.get()
    assert access.officer_label == org.name and access.screen == "checks.api"
    assert access.purpose == "car insurance quote"
    notice = Message.objects.get(kind="checks.code_used", channel="inapp")
    assert org.name in notice.body
    logged = OrganisationCall.objects.get()
    assert (logged.organisation, logged.key, logged.outcome) == (org, key[0], "ok")
    assert logged.scope == "licence" and logged.holder_ref == holder.person.pk


def test_points_and_vehicle_answers_hold_nothing_else(client, holder, officer, org):
    car = VehicleFactory(owner_person=holder.person)
    _, raw = org_services.key_issue(
        actor=officer, organisation_id=org.pk, label="all", scopes=["points", "vehicle"]
    )
    _, points = _code(holder, scope=Scope.POINTS)
    _, vehicle = _code(holder, scope=Scope.VEHICLE, vehicle_id=car.pk)
    got = call(client, raw, body(points)).json()
    assert set(got) == {"scope", "holder_name", "points"} and got["points"]["points_limit"] == 12
    got = call(client, raw, body(vehicle)).json()
    assert set(got) == {"scope", "holder_name", "vehicle"}
    assert set(got["vehicle"]) >= {"plate", "inspection_valid_until", "insurance_valid_until"}


def _unchanged(row, uses=0):
    row.refresh_from_db()
    assert row.uses == uses and row.failed_attempts == 0
    assert DataAccess.objects.count() == (1 if uses else 0)


def test_wrong_key_is_refused_and_nothing_is_logged(client, holder, key):
    row, code = _code(holder)
    for raw in (None, "", "vmoc_not-a-key", key[1] + "x"):
        response = call(client, raw, body(code))
        assert response.status_code == 401
        (error,) = response.json()["errors"]
        assert error["code"] == "invalid_key" and "X-API-Key" in error["message"]
    _unchanged(row)
    assert not OrganisationCall.objects.exists()


def test_revoked_key_is_refused_at_once_and_the_refusal_logged(client, holder, key, officer, org):
    row, code = _code(holder, uses=5)
    assert call(client, key[1], body(code)).status_code == 200
    org_services.key_revoke(actor=officer, organisation_id=org.pk, key_id=key[0].pk)
    response = call(client, key[1], body(code))
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "key_revoked"
    _unchanged(row, uses=1)
    assert list(OrganisationCall.objects.values_list("outcome", flat=True)) == [
        "key_revoked",
        "ok",
    ]


def test_key_without_the_scope_is_refused_and_the_code_not_used(client, holder, key):
    row, code = _code(holder, scope=Scope.POINTS)
    response = call(client, key[1], body(code))
    assert response.status_code == 403
    (error,) = response.json()["errors"]
    assert error["code"] == "scope_not_allowed" and "scope" in error["message"]
    _unchanged(row)
    assert OrganisationCall.objects.get().outcome == "scope_not_allowed"
    # With a wrong licence tail the answer is the ordinary refusal: a guesser learns nothing.
    wrong = call(client, key[1], body(code, tail="000000"))
    assert wrong.status_code == 403 and wrong.json()["errors"][0]["code"] == "refused"


def test_over_the_rate_limit_per_key(client, holder, key, officer, org, settings):
    settings.VMO_API_RATES = {"checks-key": "2/m"}
    row, code = _code(holder, uses=5)
    _, other = org_services.key_issue(
        actor=officer, organisation_id=org.pk, label="second", scopes=["licence"]
    )
    assert call(client, key[1], body(code)).status_code == 200
    assert call(client, key[1], body(code)).status_code == 200
    response = call(client, key[1], body(code))
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response.json()["errors"][0]["code"] == "throttled"
    row.refresh_from_db()
    assert row.uses == 2
    assert OrganisationCall.objects.filter(outcome="throttled").count() == 1
    assert call(client, other, body(code)).status_code == 200  # the other key has its own count


def test_code_replayed_beyond_its_uses_is_refused(client, holder, key):
    row, code = _code(holder, uses=1)
    assert call(client, key[1], body(code)).status_code == 200
    response = call(client, key[1], body(code))
    assert response.status_code == 403
    (error,) = response.json()["errors"]
    assert error["code"] == "refused" and error["field"] is None
    row.refresh_from_db()
    assert row.uses == 1 and DataAccess.objects.count() == 1
    assert OrganisationCall.objects.first().outcome == "refused"


def test_missing_fields_are_named_and_nothing_is_tried(client, holder, key):
    response = call(client, key[1], {"code": "", "licence_tail": "12", "purpose": " "})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"code", "licence_tail", "purpose"}
    assert OrganisationCall.objects.get().outcome == "invalid"
    too_long = call(client, key[1], {"code": "A" * 41, "licence_tail": "1234567", "purpose": "x"})
    assert too_long.status_code == 422


def test_attempt_limits_count_per_key_as_on_the_public_page(client, holder, key):
    row, code = _code(holder, uses=3)
    for _ in range(services.CODE_FAILURES_MAX):
        assert call(client, key[1], body(code, tail="999999")).status_code == 403
    assert call(client, key[1], body(code)).status_code == 403  # the code is locked for good
    row.refresh_from_db()
    assert row.failed_attempts > services.CODE_FAILURES_MAX and row.uses == 0
    for _ in range(services.ADDRESS_FAILURES_PER_WINDOW - services.CODE_FAILURES_MAX - 1):
        call(client, key[1], body("UNKNOWN23456"))
    response = call(client, key[1], body("UNKNOWN23456"))
    assert response.status_code == 429 and response.json()["errors"][0]["code"] == "throttled"


def test_call_log_is_append_only(key, holder, client):
    _, code = _code(holder)
    call(client, key[1], body(code))
    logged = OrganisationCall.objects.get()
    logged.outcome = "refused"
    with pytest.raises(PermissionError):
        logged.save()
    assert OrganisationKey.objects.get().revoked_at is None
    assert CheckCode.objects.get().uses == 1
