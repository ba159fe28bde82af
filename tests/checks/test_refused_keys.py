"""Calls of the check API without a live key: each logged (address, time, the key's first signs,
never the key) and limited per client address by the one address rule, with spoofed
X-Forwarded-For headers both ways; once an address is over the limit even a right key is not
looked up, so a guesser cannot tell a hit."""

from __future__ import annotations

import json

import pytest

from tests.checks.test_organisations import _code, body, holder, key, officer, org  # noqa: F401
from tests.office.conftest import officer_client  # noqa: F401  (fixture)
from vmo.accounts.services import ADDRESS_LIMITS
from vmo.checks import org_services
from vmo.checks.models import CheckCode, OrganisationCall, RefusedKeyCall
from vmo.core.models import DataAccess

pytestmark = pytest.mark.django_db
URL = "/api/v1/checks"
LIMIT = 3
PROXY = "10.0.0.2"
GUESS = "vmoc_guessedGUESSEDguessed0123456789abcdefgh"


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setitem(ADDRESS_LIMITS, org_services.KEY_ACTION, (LIMIT, 600))


def call(client, raw, remote="198.51.100.9", xff=None, payload=None):
    extra = {"REMOTE_ADDR": remote, "HTTP_ACCEPT_LANGUAGE": "en"}
    if raw is not None:
        extra["HTTP_X_API_KEY"] = raw
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    data = json.dumps(payload or {"code": "ABCDEFGHJKLM", "licence_tail": "123456", "purpose": "x"})
    return client.post(URL, data, content_type="application/json", **extra)


def codes(response):
    return [e["code"] for e in response.json()["errors"]]


def test_below_at_and_above_the_limit(client, holder, key):  # noqa: F811
    row, code = _code(holder, uses=5)
    for n in range(LIMIT):  # below, then at the limit: refused as unknown, each logged
        response = call(client, f"{GUESS}{n}")
        assert response.status_code == 401 and codes(response) == ["invalid_key"]
    assert RefusedKeyCall.objects.filter(reason="unknown_key").count() == LIMIT
    over = call(client, GUESS)
    assert over.status_code == 429 and codes(over) == ["throttled"]
    assert int(over["Retry-After"]) >= 600
    # Over the limit, the right key is not even looked up: a hit looks like a miss.
    right = call(client, key[1], payload=body(code))
    assert right.status_code == 429 and codes(right) == ["throttled"]
    assert list(RefusedKeyCall.objects.values_list("reason", flat=True)[:2]) == ["throttled"] * 2
    row.refresh_from_db()
    assert row.uses == 0 and not DataAccess.objects.exists()
    assert not OrganisationCall.objects.exists()
    # Another address is not affected, and a good call there is not counted.
    elsewhere = "198.51.100.10"
    for _ in range(LIMIT + 1):
        assert call(client, key[1], remote=elsewhere, payload=body(code)).status_code == 200
    assert not RefusedKeyCall.objects.filter(client_address=elsewhere).exists()


def test_the_log_keeps_the_address_time_and_prefix_never_the_key(client):
    for raw in (None, "", GUESS, "vmoc_\x01<script>"):
        assert call(client, raw).status_code in (401, 429)
    rows = list(RefusedKeyCall.objects.order_by("id"))
    assert [r.key_prefix for r in rows[:3]] == ["", "", GUESS[:11]]
    assert rows[3].reason == "throttled" and rows[3].key_prefix == "vmoc_?<scri"
    assert all(r.client_address == "198.51.100.9" and r.called_at for r in rows)
    assert not any(GUESS in str(vars(r)) for r in rows)
    with pytest.raises(PermissionError):
        rows[0].save()


def test_a_revoked_key_is_counted_and_logged_in_both_logs(client, holder, key, officer, org):  # noqa: F811
    org_services.key_revoke(actor=officer, organisation_id=org.pk, key_id=key[0].pk)
    for _ in range(LIMIT):
        assert codes(call(client, key[1])) == ["key_revoked"]
    assert codes(call(client, key[1])) == ["throttled"]
    assert OrganisationCall.objects.filter(outcome="key_revoked").count() == LIMIT
    reasons = list(RefusedKeyCall.objects.order_by("id").values_list("reason", flat=True))
    assert reasons == ["key_revoked"] * LIMIT + ["throttled"]
    assert RefusedKeyCall.objects.first().key_prefix == key[0].prefix


def test_rotating_the_header_does_not_dodge_the_limit_without_a_proxy(client, settings):
    settings.VMO_TRUSTED_PROXIES = 0
    answers = [call(client, GUESS, xff=f"203.0.113.{n}") for n in range(LIMIT + 1)]
    assert [a.status_code for a in answers] == [401] * LIMIT + [429]
    assert set(RefusedKeyCall.objects.values_list("client_address", flat=True)) == {"198.51.100.9"}


def test_behind_nginx_the_client_is_limited_not_the_proxy(client, settings, holder, key):  # noqa: F811
    settings.VMO_TRUSTED_PROXIES = 1
    _, code = _code(holder, uses=5)
    answers = [call(client, GUESS, remote=PROXY, xff="198.51.100.7") for _ in range(LIMIT + 1)]
    assert [a.status_code for a in answers] == [401] * LIMIT + [429]
    # Another client behind the same proxy is not limited with it.
    assert (
        call(client, key[1], remote=PROXY, xff="198.51.100.8", payload=body(code)).status_code
        == 200
    )
    assert call(client, GUESS, remote=PROXY, xff="198.51.100.8").status_code == 401
    # A client's own entry kept in front of nginx's is not trusted: the proxy's address counts.
    spoofed = call(client, GUESS, remote=PROXY, xff="6.6.6.6, 198.51.100.9")
    assert spoofed.status_code == 401
    addresses = list(RefusedKeyCall.objects.order_by("id").values_list("client_address", flat=True))
    assert addresses == ["198.51.100.7"] * (LIMIT + 1) + ["198.51.100.8", PROXY]


def test_the_office_reads_the_refusals_in_the_workbench(client, officer_client):  # noqa: F811
    call(client, GUESS)
    supervisor = officer_client("supervisor")
    assert "refused-calls/" in supervisor.get("/office/organisations/").content.decode()
    page = supervisor.get("/office/organisations/refused-calls/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "198.51.100.9" in text and GUESS[:11] in text and GUESS not in text
    assert "Unknown or missing key" in text and f"After {LIMIT} such calls" in text
    assert officer_client("auditor").get("/office/organisations/refused-calls/").status_code == 200
    assert officer_client("clerk").get("/office/organisations/refused-calls/").status_code == 403
    assert CheckCode.objects.count() == 0
