"""Liveness and readiness probes for the load balancer and the orchestrator."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache() -> None:
    cache.set("vmo:readyz", "1", 5)
    if cache.get("vmo:readyz") != "1":
        raise RuntimeError("cache did not return what was stored")


def _check_broker() -> None:
    url = urlparse(settings.CELERY_BROKER_URL)
    default_port = {"amqp": 5672, "redis": 6379}.get(url.scheme, 5672)
    with socket.create_connection(
        (url.hostname or "localhost", url.port or default_port), timeout=2
    ):
        pass


def readiness() -> dict[str, str]:
    """Check every configured dependency; in the embedded default only what is configured."""
    checks = {"database": _check_database, "cache": _check_cache}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            results[name] = f"error: {type(exc).__name__}"
    return results


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    results = readiness()
    ready = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
