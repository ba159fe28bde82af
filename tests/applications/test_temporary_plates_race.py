"""One temporary-plate application per VIN at a time (R164 Art 47, `temp_one_application`) holds
when two submissions reach the office at the same instant: the check reads the other pending
applications, which a transaction not yet committed does not show, so the database's constraint
(`one_pending_application_per_vin`) decides between them. PostgreSQL only: two connections, one
holding its submission open while the other submits."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from tests.factories import make_vin
from vmo.applications import services
from vmo.applications.checks import Incomplete
from vmo.applications.models import Application

from .conftest import start
from .helpers import fill
from .test_temporary_plates import _data

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _waiting_on_a_lock(timeout: float = 10.0) -> bool:
    """True once another connection of this database waits for a lock (the second submission,
    held at the unique index by the first one's open transaction)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def test_two_submissions_for_one_vin_at_the_same_instant_one_is_refused_r164_art_47(citizen):
    """R164 Art 47: the first submission is still uncommitted when the second passes the check;
    the second waits for it at the constraint, then is refused with the check's own reason and
    changes nothing; exactly one application for the VIN is with the office."""
    vin = make_vin(8200)
    first = start(citizen, "V12")
    fill(citizen, first, _data(vin))
    second = start(citizen, "V12")
    fill(citizen, second, _data(vin, start_day="2026-11-25"))
    first_open = threading.Event()
    release = threading.Event()
    outcome: dict[str, object] = {}

    def submit_first() -> None:
        try:
            with transaction.atomic():
                services.application_submit(actor=citizen, application=first)
                first_open.set()
                release.wait(15)  # committed only once the second waits on it
            outcome["first"] = "submitted"
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            outcome["first"] = exc
            first_open.set()
        finally:
            connections.close_all()

    def submit_second() -> None:
        first_open.wait(15)
        try:
            services.application_submit(actor=citizen, application=second)
            outcome["second"] = "submitted"
        except Incomplete as exc:
            outcome["second"] = {p.item for p in exc.problems}
        except Exception as exc:  # noqa: BLE001
            outcome["second"] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit_first), threading.Thread(target=submit_second)]
    for thread in threads:
        thread.start()
    try:
        assert first_open.wait(15)
        waited = _waiting_on_a_lock()  # the second passed the check and waits
    finally:
        release.set()
        for thread in threads:
            thread.join(30)
    assert waited, outcome
    assert outcome == {"first": "submitted", "second": {"condition:temp_one_application"}}
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "submitted", second.pk: "draft"}
    assert Application.objects.get(pk=first.pk).held_vin == vin
    assert Application.objects.get(pk=second.pk).held_vin == ""
