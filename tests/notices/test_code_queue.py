"""One-time codes reach the broker on their own queue, other SMS on the default one: published
to the real RabbitMQ and counted there."""

from __future__ import annotations

import uuid

import pytest
from kombu import Connection
from kombu import pools as kombu_pools

from tests.conftest import require_service
from vmo.celery import app
from vmo.notices import services

pytestmark = pytest.mark.django_db

LIVE = "amqp://guest:guest@127.0.0.1:5672//"


def _reset() -> None:
    # kombu keeps pools per broker address; Celery keeps the routing table it built.
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@pytest.fixture
def broker_queues():
    require_service("RabbitMQ", port=5672)
    keys = ("broker_url", "task_always_eager", "task_default_queue", "task_routes")
    saved = {f"CELERY_{k.upper()}": app.conf[k] for k in keys}
    tag = uuid.uuid4().hex[:8]
    codes, default = f"codes-{tag}", f"default-{tag}"
    app.conf.update(
        CELERY_BROKER_URL=LIVE,
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_TASK_DEFAULT_QUEUE=default,
        CELERY_TASK_ROUTES={"notices.deliver_code": {"queue": codes}},
    )
    _reset()
    yield codes, default
    app.conf.update(saved)
    _reset()
    with Connection(LIVE) as conn:
        for name in (codes, default):
            conn.default_channel.queue_delete(name)


def _waiting(queue: str) -> int:
    with Connection(LIVE) as conn:
        return conn.default_channel.queue_declare(queue=queue, passive=True).message_count


def test_a_one_time_code_is_published_on_the_codes_queue(
    broker_queues, django_capture_on_commit_callbacks
):
    codes, default = broker_queues
    with django_capture_on_commit_callbacks(execute=True):
        services.sms_send(
            phone="13800138000", body="Your code is 123456", kind="code.signup", one_time_code=True
        )
        services.sms_send(phone="13800138001", body="Reminder", kind="licence.validity_ending")
    assert (_waiting(codes), _waiting(default)) == (1, 1)
