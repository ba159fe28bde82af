"""Django's Redis cache, with one client object per connection pool instead of one per call.

Django builds a new `redis.Redis` for every cache operation (its client copies some eighty
response callbacks as it is made); a signed-in request reads the cache several times (the
session, the rate limits, the page cache's generation), so that was a fixed cost on every
request (issue 13). The pools, and so the connections, were already shared; a `redis.Redis`
over a pool is safe to share between threads, so sharing it changes nothing else.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
