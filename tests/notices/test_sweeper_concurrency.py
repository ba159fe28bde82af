"""Two sweepers at once publish each row once (issue 14: several notices.dispatch sweeps ran at
once and published the same rows, 9,940 delivery tasks for 6,260 SMS). Two real sweeps in two
threads, each with its own PostgreSQL connection, released together."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from vmo.notices import delivery, tasks

from .test_delivery_faults import _sms_rows

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

ROWS = 20


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


def test_two_sweepers_at_once_publish_each_row_once(monkeypatch):
    ids = _sms_rows(ROWS)
    published: list[int] = []
    lock = threading.Lock()

    def apply_async(*args, **kwargs):
        time.sleep(0.01)  # a broker round trip: the sweeps overlap
        with lock:
            published.append(kwargs["kwargs"]["message_id"])

    monkeypatch.setattr(tasks.deliver, "apply_async", apply_async)
    barrier = threading.Barrier(2)
    queued: list[int] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            queued.append(delivery.messages_dispatch())
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(published) == sorted(ids)  # each row once
    assert sorted(queued) == [0, ROWS]  # one sweep did the work, the other stood aside
