import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

DEAD_PORT = 1  # nothing listens on tcp/1 on loopback


def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_readyz_in_the_embedded_default(client):
    with override_settings(CELERY_BROKER_URL=""):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_with_rabbitmq(client, rabbitmq_url):
    with override_settings(CELERY_BROKER_URL=rabbitmq_url):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_readyz_with_a_dead_broker_is_503(client):
    with override_settings(CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{DEAD_PORT}//"):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"].startswith("error") and body["checks"]["database"] == "ok"


def test_readyz_with_the_redis_cache(client, redis_url):
    caches = {"default": {"BACKEND": "vmo.core.rediscache.RedisCache", "LOCATION": redis_url}}
    with override_settings(CACHES=caches, CELERY_BROKER_URL=""):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"


def test_readyz_with_a_dead_redis_is_503(client):
    caches = {
        "default": {
            "BACKEND": "vmo.core.rediscache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{DEAD_PORT}/0",
        }
    }
    with override_settings(CACHES=caches, CELERY_BROKER_URL=""):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")
