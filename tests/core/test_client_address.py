"""Issue 12 finding 4: one client-address rule for every throttle, the lockout and history,
tested with spoofed X-Forwarded-For headers both ways (no proxy trusted; the documented nginx)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import CitizenFactory
from vmo.accounts.services import SIGNIN_IP_LIMIT
from vmo.core.client_address import client_ip

PROXY = "10.0.0.2"


def _request(remote: str, xff: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.VMO_TRUSTED_PROXIES = 0
    assert client_ip(_request("198.51.100.9", "1.2.3.4")) == "198.51.100.9"
    assert client_ip(_request("198.51.100.9")) == "198.51.100.9"


def test_behind_the_documented_nginx_the_overwritten_header_names_the_client(settings):
    settings.VMO_TRUSTED_PROXIES = 1
    assert client_ip(_request(PROXY, "198.51.100.7")) == "198.51.100.7"
    # A header of another shape (a client's own entry kept in front) is not trusted.
    assert client_ip(_request(PROXY, "6.6.6.6, 198.51.100.7")) == PROXY
    assert client_ip(_request(PROXY)) == PROXY


def test_two_proxies(settings):
    settings.VMO_TRUSTED_PROXIES = 2
    assert client_ip(_request(PROXY, "198.51.100.7, 10.0.0.9")) == "198.51.100.7"
    assert client_ip(_request(PROXY, "6.6.6.6, 198.51.100.7, 10.0.0.9")) == PROXY


TOKEN = "/api/v1/auth/token"


def _token(client, xff: str | None = None, remote: str = "198.51.100.9", n: int = 0):
    extra = {"REMOTE_ADDR": remote}
    if xff:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    # A new identifier each time: the per-account lockout is not what is measured here.
    return client.post(
        TOKEN,
        {"identifier": f"1390000{n:04d}", "password": "x"},
        content_type="application/json",
        **extra,
    )


@pytest.mark.django_db
def test_rotating_the_header_does_not_dodge_the_api_throttle_without_a_proxy(client, settings):
    settings.VMO_TRUSTED_PROXIES = 0
    answers = [_token(client, xff=f"203.0.113.{n}", n=n) for n in range(12)]
    assert answers[-1].status_code == 429
    assert answers[-1].json()["errors"][0]["code"] == "throttled"


@pytest.mark.django_db
def test_rotating_the_header_does_not_dodge_the_api_throttle_behind_nginx(client, settings):
    # nginx overwrites the header with the client's address: rotating one's own header
    # changes nothing, so the app sees the same client every time.
    settings.VMO_TRUSTED_PROXIES = 1
    answers = [_token(client, xff="198.51.100.7", remote=PROXY, n=n) for n in range(12)]
    assert answers[-1].status_code == 429
    assert answers[-1].json()["errors"][0]["code"] == "throttled"
    # Another client behind the same proxy is not throttled with it.
    assert _token(client, xff="198.51.100.8", remote=PROXY, n=99).status_code == 401


@pytest.mark.django_db
def test_bad_sign_ins_by_one_client_do_not_lock_out_everyone_behind_the_proxy(client, settings):
    settings.VMO_TRUSTED_PROXIES = 1
    citizen = CitizenFactory()
    for n in range(SIGNIN_IP_LIMIT + 1):
        client.post(
            reverse("accounts:login"),
            {"identifier": f"1390000{n:04d}", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )
    response = client.post(
        reverse("accounts:login"),
        {"identifier": citizen.person.phone, "password": "Correct-Horse-42"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )
    assert response.status_code == 302
    # The lockout records the client, not the proxy.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


@pytest.mark.django_db
def test_a_sign_in_without_any_address_is_recorded_without_one(client):
    # force_login builds a request with no REMOTE_ADDR; axes stores None, not a placeholder.
    client.force_login(CitizenFactory())
    assert client.get(reverse("portal:my_status")).status_code == 200
