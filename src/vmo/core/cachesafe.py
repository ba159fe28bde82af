"""Cache reads that a page can do without: when Redis is away, serve from the database instead
of failing the page (issue 14: every page read the office configuration from the cache).

A cache error opens a short breaker in this process: for ``COOL_OFF`` seconds the cache is not
asked at all, so a Redis that does not answer costs one request one ``REDIS_TIMEOUT``, not every
cache call of every request. Rate limits do not fall back: without their counters they
refuse, never let through, but they refuse as themselves (``counted``: CountersAway, which the
error page answers with its own 503 saying to try again in a moment), and fast (the same
breaker), not with the general error page after a timeout.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger("vmo.cache")

COOL_OFF = 5.0  # seconds without asking the cache after an error
T = TypeVar("T")

_state = {"down_until": 0.0}


def cache_down() -> bool:
    return time.monotonic() < _state["down_until"]


def optional(call: Callable[..., T], *args: Any, default: T, **kwargs: Any) -> T:
    """``call(*args, **kwargs)``, or ``default`` when the cache is away (or was just now)."""
    if cache_down():
        return default
    try:
        return call(*args, **kwargs)
    except (RedisError, OSError) as exc:
        _state["down_until"] = time.monotonic() + COOL_OFF
        logger.warning("cache unavailable, served without it error=%s", type(exc).__name__)
        return default


class CountersAway(Exception):
    """The rate-limit counters (the cache) cannot be reached: the attempt is refused."""


def counted(call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """A rate-limit counter's cache call; CountersAway when the cache is away (or just was)."""
    if cache_down():
        raise CountersAway("the cache was just now away")
    try:
        return call(*args, **kwargs)
    except (RedisError, OSError) as exc:
        _state["down_until"] = time.monotonic() + COOL_OFF
        logger.warning(
            "cache unavailable, rate-limited action refused error=%s", type(exc).__name__
        )
        raise CountersAway(type(exc).__name__) from exc


def count(key: str, window: int) -> int:
    """Add one to the counter ``key`` (kept ``window`` seconds); its new value."""

    def add_one() -> int:
        cache.add(key, 0, window)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            return 1

    return counted(add_one)


def reset() -> None:
    """Close the breaker (tests)."""
    _state["down_until"] = 0.0
