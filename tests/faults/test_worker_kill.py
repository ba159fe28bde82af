"""The Celery worker is SIGKILLed twice in the middle of a scan's deliveries (issue 14: in a
6,260-SMS scan each SMS came once, but 4,933 waited ~5 min, 4 the gateway had accepted were
later marked failed, and concurrent sweeps published 9,940 delivery tasks).

Everything is the test's own: a RabbitMQ node (tests.faults.rabbitnode, its own ports and
folders: the shared broker is not touched), a local Alibaba Cloud SMS server that checks the
SDK's signatures and keeps what it took (tests/notices/providers/alibaba_server.py), and a real
worker of the project's Celery app on the Makefile's queues (prefork, two processes) that runs
the daily scan task and delivers what it raises. Each kill lands while both processes wait
for the provider's answer to a send it has already taken (the hardest case: "sent" for the
phone, "sending" for us); the whole process group goes, as with the OOM killer. The test
sweeps once a second as beat does every minute, beside the sweeps the scan queues itself.

Asserted: each SMS reached the provider exactly once; none the provider took is failed (or
left uncertain); one delivery task per SMS (distinct task ids the workers received; the
broker's redeliveries of unacknowledged tasks keep their id); all sent within a bound after the
last restart. The figures are printed (`-s`).

PostgreSQL only (`postgresql` mark: row locks and the sweeper's advisory lock across
processes). Repeat:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/vmo_x \\
    .venv/bin/pytest -p no:xdist tests/faults/test_worker_kill.py -q -s
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import LicenceFactory, PersonFactory
from tests.faults.rabbitnode import OwnRabbit
from tests.notices.providers.test_alibaba_sms import alibaba  # noqa: F401 - the fixture
from tests.notices.test_broker_outage import (
    _history_restorable,  # noqa: F401 - module fixture
    _reset_pools,
)
from vmo.celery import app
from vmo.core import clock
from vmo.notices import delivery, tasks
from vmo.notices.models import Attempt, Message

pytestmark = [pytest.mark.postgresql, pytest.mark.serial, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SMS = 300
SENDING_DEADLINE = 4  # seconds (VMO_NOTICES_SENDING_TIMEOUT): the provider's timeout is 2
RECOVERY_ALLOWED = 30  # seconds from the last restart until every SMS is sent
RECEIVED = re.compile(r"Task notices\.deliver\[([0-9a-f-]+)\] received")


@pytest.fixture
def own_broker():
    if not OwnRabbit.available():
        pytest.skip("rabbitmq-server is not installed")  # CI installs it (.ci/run)
    node = OwnRabbit()
    keys = ("broker_url", "task_always_eager", "task_default_queue", "task_routes")
    saved = {f"CELERY_{k.upper()}": app.conf[k] for k in keys}
    try:
        booted = node.start()
        # The product's settings (queues and routes included); only the broker is the test's.
        app.conf.update(
            CELERY_BROKER_URL=node.url,
            CELERY_TASK_ALWAYS_EAGER=False,
            CELERY_TASK_DEFAULT_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
            CELERY_TASK_ROUTES=settings.CELERY_TASK_ROUTES,
        )
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)
        _reset_pools()
        yield node, booted
    finally:
        app.conf.update(saved)
        app.amqp.flush_routes()
        app.amqp.__dict__.pop("router", None)
        _reset_pools()
        node.destroy()


class Worker:
    """`celery -A vmo worker -Q codes,celery,scans` (the Makefile's), in a session of its own so
    that one SIGKILL ends the pool's processes with their parent."""

    def __init__(self, broker: str, provider, log: Path) -> None:
        db = connection.settings_dict
        self.log = log
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": broker,
            "VMO_NOTICES_SENDING_TIMEOUT": str(SENDING_DEADLINE),
            "VMO_SMS_BACKEND": "alibaba",
            "VMO_SMS_TEMPLATES": json.dumps(settings.VMO_SMS_TEMPLATES),
            "VMO_SMS_SIGN_NAME": settings.VMO_SMS_SIGN_NAME,
            "VMO_SMS_ALIBABA_ACCESS_KEY_ID": provider.access_key_id,
            "VMO_SMS_ALIBABA_ACCESS_KEY_SECRET": provider.access_key_secret,
            "VMO_SMS_ALIBABA_ENDPOINT": provider.endpoint,
            "VMO_SMS_ALIBABA_SCHEME": "http",
            "VMO_SMS_ALIBABA_TIMEOUT": "2",  # the server answers a held send after 3 s
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> float:
        """Start and wait until it consumes; returns how long that took."""
        started = time.monotonic()
        self.starts += 1
        out = (self.log.parent / f"{self.log.name}.{self.starts}").open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter's celery
            [sys.executable, "-m", "celery", "-A", "vmo", "worker", "-Q", "codes,celery,scans",
             "-c", "2", "-l", "info", "--without-gossip", "--without-mingle"],
            env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        while time.monotonic() - started < 90:  # Django's imports on a loaded 2-core machine
            assert self.process.poll() is None, self.output()[-3000:]
            if re.search(r"celery@\S+ ready\.", self.output(self.starts)):
                return time.monotonic() - started
            time.sleep(0.1)
        raise AssertionError("the worker did not start")

    def output(self, start: int | None = None) -> str:
        numbers = [start] if start else range(1, self.starts + 1)
        paths = [self.log.parent / f"{self.log.name}.{n}" for n in numbers]
        return "".join(p.read_text(errors="replace") for p in paths if p.exists())

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def task_ids(self) -> Counter[str]:
        return Counter(RECEIVED.findall(self.output()))


def _kill_mid_send(worker: Worker, provider) -> int:
    """Hold the provider's answers (it takes each send, answers after 3 s), wait until both
    pool processes are inside a send, then kill; returns how many sends it held."""
    before = len(provider.requests)
    provider.answers[:] = ["sleep"]
    deadline = time.monotonic() + 3
    while len(provider.requests) - before < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.kill()
    held = len(provider.requests) - before
    provider.answers[:] = ["ok"]
    return held


def _wait_for(predicate, limit: float, sweep_every: float = 1) -> float:
    """Wait, sweeping as beat does every minute (here every `sweep_every` seconds)."""
    started = time.monotonic()
    last_sweep = 0.0
    while not predicate():
        assert time.monotonic() - started < limit, "timed out"
        if time.monotonic() - last_sweep >= sweep_every:
            delivery.messages_dispatch()
            last_sweep = time.monotonic()
        time.sleep(0.05)
    return time.monotonic() - started


def test_worker_killed_twice_mid_delivery_sends_each_sms_once(own_broker, alibaba, tmp_path):  # noqa: F811
    node, booted = own_broker
    provider = alibaba
    day = clock.today()
    for n in range(SMS):
        LicenceFactory(holder=PersonFactory(), valid_to=day + timedelta(days=1 + n % 89))
    sms = Message.objects.filter(kind="licence.validity_ending", channel="sms")
    sent = sms.filter(status="sent")
    worker = Worker(node.url, provider, tmp_path / "worker.log")
    held: list[int] = []
    try:
        worker.start()
        began = time.monotonic()
        tasks.scans_run.apply_async(kwargs={"day": day.isoformat()})  # beat's daily scan
        # Sweeping often while the scan's own sweep (queued when its batch committed) publishes
        # its rows: two sweepers at once, as when several sweeps queued behind a scan ran.
        _wait_for(lambda: sms.count() == SMS and len(provider.requests) >= SMS // 3, 60, 0.1)
        held.append(_kill_mid_send(worker, provider))
        worker.start()
        _wait_for(lambda: len(provider.requests) >= 2 * SMS // 3, 60)
        held.append(_kill_mid_send(worker, provider))
        restart = worker.start()
        recovered = _wait_for(lambda: sent.count() == SMS, RECOVERY_ALLOWED)
        time.sleep(1.5)  # anything queued twice would run now
    finally:
        worker.stop()
    statuses = Counter(sms.values_list("status", flat=True))
    at_provider = Counter(request["OutId"] for request in provider.requests)
    ids = {str(pk) for pk in sms.values_list("pk", flat=True)}
    waits = [
        (done - created).total_seconds()
        for created, done in sent.values_list("created_at", "sent_at")
    ]
    attempts = Attempt.objects.filter(message__in=sms)
    task_ids = worker.task_ids()
    figures = {
        "sms": SMS,
        "broker_boot_s": round(booted, 1),
        "kills": len(held),
        "sends_held_at_kill": held,
        "attempt_error_rate": round(attempts.exclude(outcome="sent").count() / attempts.count(), 4),
        "longest_wait_s": round(max(waits), 1),
        "scan_to_all_sent_s": round(time.monotonic() - began - 1.5, 1),
        "restart_s": round(restart, 1),
        "recovery_after_restart_s": round(recovered, 1),
        "lost": SMS - statuses.get("sent", 0),
        "duplicated_at_provider": sum(n - 1 for n in at_provider.values()),
        "delivery_tasks": len(task_ids),
        "redelivered_by_broker": sum(n - 1 for n in task_ids.values()),
        "statuses": dict(statuses),
    }
    print("FAULT worker SIGKILL", json.dumps(figures))
    assert sum(held) >= 2  # each kill caught sends in flight at the provider
    assert set(at_provider) == ids and set(at_provider.values()) == {1}  # each once at the phone
    assert statuses == {"sent": SMS}  # none the provider took is failed or left uncertain
    assert len(task_ids) == SMS, "sweepers published rows twice"
    assert recovered < RECOVERY_ALLOWED
    assert node.process is not None and node.process.poll() is None  # the broker never went
