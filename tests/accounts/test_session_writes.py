"""Sessions are not written on every request (issue 13), and still end when idle or when the
user signs out everywhere. Run with both stores: the database alone (no Redis) and cached_db."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CitizenFactory
from vmo.core.clock import OFFICE_TZ

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"  # CitizenFactory's
START = datetime(2025, 3, 3, 10, 0, tzinfo=OFFICE_TZ)


@pytest.fixture(
    params=["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


def _signed_in_client() -> Client:
    user = CitizenFactory()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        reverse("accounts:login"), {"identifier": user.person.phone, "password": PASSWORD}
    )
    assert response.status_code == 302
    client.user = user  # type: ignore[attr-defined]
    return client


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_signed_in_requests_within_a_minute_write_no_session(engine):
    with time_machine.travel(START, tick=False) as traveller:
        client = _signed_in_client()
        with CaptureQueriesContext(connection) as queries:
            for _ in range(10):
                traveller.shift(timedelta(seconds=5))
                response = client.get(reverse("portal:my_status"))
                assert response.status_code == 200
                assert response.wsgi_request.user.is_authenticated
        assert _session_writes(queries.captured_queries) == []
        assert "sessionid" not in response.cookies  # the cookie is not re-sent either


def test_a_session_is_extended_once_a_minute(engine):
    with time_machine.travel(START, tick=False) as traveller:
        client = _signed_in_client()
        traveller.shift(timedelta(seconds=61))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("portal:my_status"))
            client.get(reverse("portal:my_status"))
        assert len(_session_writes(queries.captured_queries)) == 1
        assert response.cookies["sessionid"]["max-age"] == 1800


def test_a_session_used_every_few_minutes_lives_on_and_ends_when_idle(engine):
    with time_machine.travel(START, tick=False) as traveller:
        client = _signed_in_client()
        for _ in range(8):  # 8 × 29 minutes: far past one session age
            traveller.shift(timedelta(minutes=29))
            assert client.get(reverse("accounts:login")).wsgi_request.user.is_authenticated
        # Many requests within a minute do not move the expiry: idle is counted from the last
        # save, so the session ends within 30 minutes of the last request, and after 29.
        for _ in range(5):
            traveller.shift(timedelta(seconds=10))
            client.get(reverse("accounts:login"))
        traveller.shift(timedelta(minutes=30))
        assert not client.get(reverse("accounts:login")).wsgi_request.user.is_authenticated


def test_an_anonymous_visit_makes_no_session(engine, client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert _session_writes(queries.captured_queries) == []


def test_sign_out_everywhere_ends_every_session_of_the_user(engine):
    with time_machine.travel(START, tick=False) as traveller:
        phone = _signed_in_client()
        user = phone.user  # type: ignore[attr-defined]
        laptop = Client(HTTP_ACCEPT_LANGUAGE="en")
        laptop.post(
            reverse("accounts:login"), {"identifier": user.person.phone, "password": PASSWORD}
        )
        traveller.shift(timedelta(seconds=5))
        assert phone.get(reverse("portal:my_status")).status_code == 200  # cached, not re-saved
        laptop.post(reverse("accounts:logout_everywhere"))
        traveller.shift(timedelta(seconds=5))
        response = phone.get(reverse("portal:my_status"))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
        assert not phone.get(reverse("accounts:login")).wsgi_request.user.is_authenticated


def test_sign_out_ends_the_session_in_the_store(engine):
    client = _signed_in_client()
    key = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    assert not store.exists(key) or store.load() == {}
    stale = Client(HTTP_ACCEPT_LANGUAGE="en")
    stale.cookies["sessionid"] = key
    assert not stale.get(reverse("accounts:login")).wsgi_request.user.is_authenticated


@pytest.fixture
def redis_sessions(settings, redis_url):
    """cached_db on a real Redis, as production runs (the idle timeout there is Redis's own
    expiry, which a frozen clock cannot move: the tests above cover it on the database)."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "vmo.core.rediscache.RedisCache",
            "LOCATION": redis_url,
        },
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    caches["sessions"].clear()
    yield
    caches["sessions"].clear()


def test_on_redis_requests_read_no_session_row_and_write_none(redis_sessions):
    client = _signed_in_client()
    client.get(reverse("portal:my_status"))  # the first request stamps the new session
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert client.get(reverse("portal:my_status")).status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


def test_on_redis_sign_out_everywhere_ends_every_session(redis_sessions):
    phone = _signed_in_client()
    user = phone.user  # type: ignore[attr-defined]
    laptop = Client(HTTP_ACCEPT_LANGUAGE="en")
    laptop.post(reverse("accounts:login"), {"identifier": user.person.phone, "password": PASSWORD})
    assert phone.get(reverse("portal:my_status")).status_code == 200
    laptop.post(reverse("accounts:logout_everywhere"))
    assert phone.get(reverse("portal:my_status")).status_code == 302
    assert not laptop.get(reverse("accounts:login")).wsgi_request.user.is_authenticated
