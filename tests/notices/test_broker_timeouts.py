"""Publishing to a broker that is away never holds a request (issue 14: ~3 s per publish, kombu
retrying the connection inside the request). The outbox row is written first; a publish that
cannot reach the broker gives up within the settings' connect time and leaves the row "created"
and unstamped for the sweeper. Two brokers that are away: a closed port (refused at once, which
kombu used to retry with growing sleeps) and one that accepts and never speaks AMQP."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse
from kombu import pools as kombu_pools

from tests.factories import CitizenFactory
from tests.faults.servers import closed_port, silent_server
from vmo.celery import app
from vmo.notices import delivery
from vmo.notices.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_broker():
    with silent_server() as port:
        yield port


def _reset_pools() -> None:
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_at():
    keys = ("broker_url", "task_always_eager")
    saved = {f"CELERY_{k.upper()}": app.conf[k] for k in keys}

    def point(port: int) -> None:
        # The settings' own publish options stay as they are: only the address changes.
        app.conf.update(
            CELERY_BROKER_URL=f"amqp://guest:guest@127.0.0.1:{port}//",
            CELERY_TASK_ALWAYS_EAGER=False,
        )
        _reset_pools()

    yield point
    app.conf.update(saved)
    _reset_pools()


def test_the_settings_bound_the_publish():
    assert settings.CELERY_BROKER_CONNECTION_TIMEOUT <= 1
    assert settings.CELERY_TASK_PUBLISH_RETRY is False
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["max_retries"] == 0


@pytest.mark.parametrize("kind", ["closed", "silent"])
def test_a_request_raising_a_notice_answers_within_a_second(
    kind, broker_at, silent_broker, client, django_capture_on_commit_callbacks
):
    user = CitizenFactory()
    client.get(reverse("accounts:password_reset"))  # a first request pays for imports
    broker_at(closed_port() if kind == "closed" else silent_broker)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:password_reset"), {"identifier": user.person.phone}
        )
    took = time.monotonic() - started
    assert response.status_code == 302
    assert took < 1.2, f"the request waited {took:.2f} s for a broker that is away"
    message = Message.objects.get(kind="code.password_reset")
    # Left for the sweeper: still "created", never stamped as queued.
    assert (message.status, message.queued_at, message.attempts) == ("created", None, 0)
    assert delivery.messages_due() == [message.pk]


def test_a_sweep_against_a_dead_broker_gives_up_quickly(broker_at):
    from tests.notices.test_delivery_faults import _sms_rows

    ids = _sms_rows(3)
    broker_at(closed_port())
    started = time.monotonic()
    assert delivery.messages_dispatch() == 0
    assert time.monotonic() - started < 1.2
    assert sorted(delivery.messages_due()) == sorted(ids)
