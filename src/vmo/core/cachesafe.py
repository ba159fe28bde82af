"""Cache reads that a page can do without: when Redis is away, serve from the database instead
of failing the page (issue 14: every page read the office configuration from the cache).

A cache error opens a short breaker in this process: for ``COOL_OFF`` seconds the cache is not
asked at all, so a Redis that does not answer costs one request one ``REDIS_TIMEOUT``, not every
cache call of every request. Rate limits and lockout do not use this: without their counters
they refuse (the error page), they never let through.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

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


def reset() -> None:
    """Close the breaker (tests)."""
    _state["down_until"] = 0.0
