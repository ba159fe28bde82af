"""/readyz tells the truth within a second; /healthz never touches a dependency (issue 14: with
Redis unresponsive /readyz hung, then answered 200). Each dependency is away in both ways it can
be: a closed port and a server that accepts and never answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tests.faults.servers import closed_port, silent_server

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# The probe's deadline is 0.8 s; the rest is room for a loaded CI machine (2 cores, 2 workers).
SLACK = 1.2


def _redis_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "vmo.core.rediscache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": settings.REDIS_OPTIONS,
        }
    }


@pytest.fixture(autouse=True)
def _warm(client):
    client.get("/healthz")  # the first request pays for imports: not what is measured


def _timed(client, path: str):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


def test_a_silent_broker_is_not_ready_within_a_second(client):
    with (
        silent_server() as port,
        override_settings(CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{port}//"),
    ):
        response, took = _timed(client, "/readyz")
    assert response.status_code == 503, response.json()
    assert took < SLACK
    assert response.json()["checks"]["broker"].startswith("error")
    assert response.json()["checks"]["database"] == "ok"
    assert response["Retry-After"]


def test_a_silent_redis_is_not_ready_within_a_second(client):
    with (
        silent_server() as port,
        override_settings(CACHES=_redis_cache(port), CELERY_BROKER_URL=""),
    ):
        response, took = _timed(client, "/readyz")
    assert response.status_code == 503
    assert took < SLACK
    assert response.json()["checks"]["cache"].startswith("error")


def test_everything_away_at_once_is_still_one_answer_within_a_second(client):
    with (
        silent_server() as broker,
        silent_server() as redis,
        override_settings(
            CACHES=_redis_cache(redis),
            CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{broker}//",
        ),
    ):
        response, took = _timed(client, "/readyz")
        health, health_took = _timed(client, "/healthz")
    assert response.status_code == 503 and took < SLACK
    assert health.status_code == 200 and health_took < 0.5


def _probe(env: dict[str, str], *paths: str) -> list[dict]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.faults.probe", *paths],
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == len(paths), result.stderr[-2000:]
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("kind", ["closed", "silent"])
def test_a_database_away_is_not_ready_within_a_second_and_health_stays_up(kind):
    with silent_server() as silent:
        port = closed_port() if kind == "closed" else silent
        env = {"DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/vmo_away"}
        health, ready, ready_again = _probe(env, "/healthz", "/readyz", "/readyz")
    assert (health["status"], health["json"]) == (200, {"status": "ok"})
    assert health["seconds"] < 0.5
    for answer in (ready, ready_again):
        assert answer["status"] == 503, answer
        assert answer["seconds"] < SLACK, answer
        assert answer["json"]["checks"]["database"].startswith("error")
        assert answer["json"]["checks"]["cache"] == "ok"
        assert answer["retry_after"]
