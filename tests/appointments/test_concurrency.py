"""Many processes race for a small session on PostgreSQL: the capacity holds.

Each of PROCESSES real processes (fork, each with its own database connection to the same test
database) waits at a barrier, then books the same session for its own person and vehicle, and
submits the same booking a second time, as a double click would. Runs only on PostgreSQL, where
row locks and the CHECK constraint are real; CI runs it in its PostgreSQL pass.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from vmo.appointments import services
from vmo.appointments.models import Booking, Session
from vmo.core.models import Event
from vmo.registry.models import Person, Vehicle

from .helpers import inspection_session, owner_with_vehicle

PROCESSES = 60
CAPACITY = 7
SUBMITS = 2  # each process submits its booking twice


def _race(session_id, person_id, vehicle_id, barrier, results) -> None:
    try:
        session = Session.objects.get(pk=session_id)
        person = Person.objects.get(pk=person_id)
        vehicle = Vehicle.objects.get(pk=vehicle_id)
        barrier.wait(timeout=120)
        made: int | None = None
        for _ in range(SUBMITS):
            try:
                booking = services.booking_create(
                    actor=None, person=person, session=session, vehicle=vehicle
                )
            except ValidationError as exc:
                codes = sorted({e.code for e in exc.error_dict["__all__"]})
                results.put(f"refused:{','.join(codes)}")
            else:
                results.put("repeat" if made == booking.pk else "booked")
                made = booking.pk
    except Exception as exc:  # reported to the parent, which fails the test
        results.put(f"error:{exc!r}")
    finally:
        connections.close_all()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_processes_racing_for_a_small_session_never_overbook(frozen):
    session = inspection_session(capacity=CAPACITY)
    owners = [owner_with_vehicle() for _ in range(PROCESSES)]
    context = multiprocessing.get_context("fork")
    connections.close_all()  # no connection may be shared across fork
    barrier = context.Barrier(PROCESSES)
    results = context.Queue()
    processes = [
        context.Process(target=_race, args=(session.pk, user.person_id, car.pk, barrier, results))
        for user, car in owners
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    attempts = PROCESSES * SUBMITS
    outcomes = [results.get(timeout=180) for _ in range(attempts)]
    for process in processes:
        process.join(timeout=60)
    elapsed = time.perf_counter() - started
    counts = Counter(outcomes)
    print(
        f"\nappointments race: {PROCESSES} processes, {attempts} attempts, capacity {CAPACITY}:"
        f" {dict(counts)} in {elapsed:.2f}s"
    )

    assert all(p.exitcode == 0 for p in processes)
    assert not [o for o in outcomes if o.startswith("error:")], counts
    # Successes + clean refusals = attempts; only "full" refusals; each winner's repeat returns
    # its own booking.
    assert counts["booked"] == CAPACITY, counts
    assert counts["repeat"] == CAPACITY, counts
    assert counts["refused:full"] == attempts - 2 * CAPACITY, counts
    assert sum(counts.values()) == attempts
    session.refresh_from_db()
    assert session.booked == CAPACITY
    assert Booking.objects.filter(session=session, status="booked").count() == CAPACITY
    assert Event.objects.filter(action="appointments.book").count() == CAPACITY
