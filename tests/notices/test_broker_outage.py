"""A broker outage delays notices and loses none: a real Celery worker against RabbitMQ and a
PostgreSQL database; the broker is "down" (a dead address) while notices are raised."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from kombu import pools as kombu_pools

from tests.conftest import require_service
from tests.factories import CitizenFactory
from vmo.celery import app
from vmo.notices import delivery, services
from vmo.notices.models import Attempt, Message

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

LIVE = "amqp://guest:guest@127.0.0.1:5672//"
DEAD = "amqp://guest:guest@127.0.0.1:1//"
NOTICES = 12
ROOT = Path(__file__).resolve().parents[2]


def _point_at(url: str, queue: str) -> None:
    # The app reads Django settings under the CELERY_ namespace: its keys carry the prefix.
    app.conf.update(
        CELERY_BROKER_URL=url,
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CELERY_BROKER_CONNECTION_TIMEOUT=2,
    )
    _reset_pools()


def _reset_pools() -> None:
    # kombu keeps connection and producer pools per broker address, process-wide.
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture(scope="module", autouse=True)
def _history_restorable(django_db_setup, django_db_blocker):
    """The serialized rollback of a transactional test rewrites the migrations' history rows,
    which the append-only triggers refuse on PostgreSQL: lift them for this module only."""
    from vmo.core.history_guard import GUARDED_TABLES

    def toggle(action: str) -> None:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for table in GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {table}_append_only")

    toggle("DISABLE")
    yield
    toggle("ENABLE")


@pytest.fixture
def celery_outside():
    keys = ("broker_url", "task_always_eager", "task_default_queue", "broker_connection_timeout")
    saved = {f"CELERY_{k.upper()}": app.conf[k] for k in keys}
    queue = f"notices-outage-{uuid.uuid4().hex[:8]}"
    yield queue
    app.conf.update(saved)
    _reset_pools()


def _worker(queue: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vmo.settings.test",
        "CELERY_BROKER_URL": LIVE,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "vmo",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "-c",
            "1",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_broker_outage_delays_and_loses_nothing(celery_outside):
    require_service("RabbitMQ", port=5672)
    queue = celery_outside
    _point_at(DEAD, queue)
    users = [CitizenFactory() for _ in range(NOTICES)]
    for n, user in enumerate(users):
        services.notify(  # each commits: its after-commit queueing meets the dead broker
            kind="licence.validity_ending",
            context={"file": "****0042", "date": "2026-05-31", "days": 90},
            dedup_key=f"outage:{n}",
            user=user,
        )
    sms = Message.objects.filter(channel="sms")
    assert sms.count() == NOTICES
    assert set(sms.values_list("status", flat=True)) == {"created"}
    assert delivery.messages_dispatch() == 0  # the sweeper cannot reach the broker either

    _point_at(LIVE, queue)  # the broker is back
    worker = _worker(queue)
    try:
        assert delivery.messages_dispatch() == NOTICES
        # Queued twice on purpose (a sweeper racing an after-commit): still sent once each.
        delivery.publish(list(sms.values_list("pk", flat=True)))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and sms.exclude(status="sent").exists():
            assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
            time.sleep(0.5)
        time.sleep(2)  # let the duplicate tasks run too
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert list(sms.exclude(status="sent").values_list("pk", "status")) == []
    assert set(sms.values_list("attempts", flat=True)) == {1}
    assert Attempt.objects.filter(message__in=sms).count() == NOTICES
    assert Attempt.objects.filter(message__in=sms, outcome="sent").count() == NOTICES


def test_two_workers_scanning_at_once_send_nothing_twice():
    """Two scans of the same day in two threads (two connections) on PostgreSQL."""
    import threading
    from datetime import date, timedelta

    from django.db import connections

    from tests.factories import LicenceFactory, PersonFactory
    from vmo.notices.scans import scans_run

    day = date(2026, 3, 2)
    for n in range(30):
        LicenceFactory(holder=PersonFactory(), valid_to=day + timedelta(days=1 + n))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            scans_run(day=day, codes=["licence.validity_ending"], publish=False)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = Message.objects.filter(kind="licence.validity_ending")
    assert rows.count() == 30
    assert rows.values("recipient_hash").distinct().count() == 30
