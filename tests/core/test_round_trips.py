"""The fixed costs of every request (issue 13): the database health check costs no round trip,
and the cache reuses one Redis client per connection pool."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches
from django.db import connection, connections

from vmo.core.rediscache import RedisCache


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_health_check_asks_the_server_nothing_and_sees_a_terminated_connection(
    monkeypatch,
):
    connection.ensure_connection()
    raw = connection.connection

    def no_query(*args, **kwargs):
        raise AssertionError("is_usable sent a query")

    monkeypatch.setattr(raw, "cursor", no_query)
    monkeypatch.setattr(raw, "execute", no_query)
    assert connection.is_usable()
    monkeypatch.undo()

    # The server ends the connection (a restart, an administrator): seen without a query.
    pid = raw.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()

    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not connection.is_usable()
    connection.close()


def test_the_redis_cache_keeps_one_client_per_pool(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "vmo.core.rediscache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        }
    }
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client(write=False) is client  # one server: one pool for both


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_database_connection_does_not_compile_queries():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
