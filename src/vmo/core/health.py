"""Liveness and readiness probes for the load balancer and the orchestrator.

``/healthz`` answers from the process alone: it never touches the database, the cache or the
broker. ``/readyz`` checks each of them at the same time, each in its own thread, and answers
within ``READY_DEADLINE`` whatever they do: a dependency that has not answered by then counts as
away ("error: timeout"), so a hung database or a silent broker gives a 503 in under a second
instead of holding the probe (issue 14: it hung, then answered 200). A check left running past
the deadline ends by its own timeout (connect times in the settings) in its daemon thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

READY_DEADLINE = 0.8  # seconds for all the checks together
BROKER_CONNECT_TIMEOUT = 0.5


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    connection = connections["default"]  # this thread's own connection
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        connection.close()


def _check_cache() -> None:
    cache.set("vmo:readyz", "1", 5)
    if cache.get("vmo:readyz") != "1":
        raise RuntimeError("cache did not return what was stored")


def _check_broker() -> None:
    from kombu import Connection

    # A real handshake (a port that accepts and never speaks AMQP is not a broker), no retry.
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=BROKER_CONNECT_TIMEOUT,
        transport_options={"max_retries": 0},
    ) as broker:
        broker.ensure_connection(max_retries=1, timeout=BROKER_CONNECT_TIMEOUT)


def _run(check: Callable[[], None], results: dict[str, str], name: str) -> None:
    try:
        check()
        results[name] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        results[name] = f"error: {type(exc).__name__}"


def readiness(*, deadline: float = READY_DEADLINE) -> dict[str, str]:
    """Check every configured dependency at once; in the embedded default only what is
    configured. Each answer is "ok", "error: <kind>" or "error: timeout"."""
    checks: dict[str, Callable[[], None]] = {"database": _check_database, "cache": _check_cache}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    results: dict[str, str] = {}
    threads = [
        threading.Thread(target=_run, args=(check, results, name), daemon=True)
        for name, check in checks.items()
    ]
    end = time.monotonic() + deadline
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, end - time.monotonic()))
    return {name: results.get(name, "error: timeout") for name in checks}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results = readiness()
    ready = all(value == "ok" for value in results.values())
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = "5"
    return response
