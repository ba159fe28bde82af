"""A Redis that accepts connections and never answers costs a cache read half a second, not the
request's whole life (issue 14: every request took 20 s). A real socket that never replies
stands for it; the cache is built with the settings' own options."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


@pytest.fixture
def silent_redis():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)  # accepted, read from never, answered never

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


def test_an_unresponsive_redis_fails_a_cache_read_within_a_second(silent_redis):
    assert settings.REDIS_OPTIONS["socket_timeout"] <= 0.5
    cache = RedisCache(silent_redis, {"OPTIONS": settings.REDIS_OPTIONS})
    started = time.monotonic()
    with pytest.raises((RedisTimeoutError, RedisConnectionError)):
        cache.get("office-config")
    assert time.monotonic() - started < 1.0
