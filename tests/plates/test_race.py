"""Two applicants can never get the same number: many OS processes race on PostgreSQL.

Each process has its own connection to the test database (forked after the parent closed its
connections, so each opens a new one to ``test_<name>``) and starts at the same instant (a
barrier). The guarantee is checked in the database afterwards, not in what the processes said.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Count

from tests.factories import CitizenFactory
from vmo.accounts.models import User
from vmo.plates import services
from vmo.plates.choices import NumberStatus, ReservationStatus
from vmo.plates.models import PoolNumber, Reservation

from .helpers import load_pool, new_vin

PROCESSES = 60
POOL = [f"新BQ{n:04d}" for n in range(12, 24)]  # 12 numbers, none refused by composition rules


def _race(user_id, vin, numbers, barrier, results) -> None:
    """Try the numbers in the given order until one is reserved; report every attempt."""
    try:
        user = User.objects.get(pk=user_id)
        barrier.wait(timeout=120)
        for number in numbers:
            try:
                services.reservation_create(
                    actor=user, number=number, vin=vin, model_name="比亚迪 秦", plate_type="02"
                )
            except ValidationError as exc:
                codes = sorted({e.code for errs in exc.error_dict.values() for e in errs})
                results.put(("refused", number, ",".join(codes)))
                continue
            results.put(("reserved", number, ""))
            break
        results.put(("done", "", ""))
    except Exception as exc:  # reported to the parent, which fails the test
        results.put(("error", "", repr(exc)))
    finally:
        connections.close_all()


def _run(jobs):
    context = multiprocessing.get_context("fork")
    connections.close_all()  # no connection may be shared across fork
    barrier = context.Barrier(len(jobs))
    results = context.Queue()
    processes = [context.Process(target=_race, args=(*job, barrier, results)) for job in jobs]
    started = time.perf_counter()
    for process in processes:
        process.start()
    outcomes, done = [], 0
    while done < len(jobs):
        item = results.get(timeout=300)
        if item[0] in {"done", "error"}:
            done += 1
        if item[0] != "done":
            outcomes.append(item)
    for process in processes:
        process.join(timeout=60)
    elapsed = time.perf_counter() - started
    assert all(p.exitcode == 0 for p in processes)
    return outcomes, elapsed


def _assert_held_once() -> None:
    held = (
        Reservation.objects.filter(status__in=[ReservationStatus.ACTIVE, ReservationStatus.BOUND])
        .values("number")
        .annotate(n=Count("id"))
    )
    assert all(row["n"] == 1 for row in held)
    active_vins = (
        Reservation.objects.filter(status=ReservationStatus.ACTIVE)
        .values("vin")
        .annotate(n=Count("id"))
    )
    assert all(row["n"] == 1 for row in active_vins)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_sixty_processes_race_for_twelve_numbers():
    load_pool(numbers=POOL)
    users = [CitizenFactory() for _ in range(PROCESSES)]
    jobs = []
    for i, user in enumerate(users):
        order = POOL[:]
        random.Random(i).shuffle(order)
        jobs.append((user.pk, new_vin(100 + i), order))

    outcomes, elapsed = _run(jobs)

    errors = [o for o in outcomes if o[0] == "error"]
    assert not errors, errors
    reserved = [o for o in outcomes if o[0] == "reserved"]
    refused = [o for o in outcomes if o[0] == "refused"]
    attempts = len(outcomes)
    codes = Counter(o[2] for o in refused)
    print(
        f"\nplates race: {PROCESSES} processes, {attempts} attempts, {len(reserved)} reserved,"
        f" {len(refused)} clean refusals {dict(codes)}, {elapsed:.2f}s"
    )
    # Every number went to exactly one applicant; every other attempt was a clean refusal.
    assert len(reserved) == len(POOL) == len({o[1] for o in reserved})
    assert len(reserved) + len(refused) == attempts
    assert set(codes) == {"taken"}
    _assert_held_once()
    rows = Reservation.objects.filter(status=ReservationStatus.ACTIVE)
    assert rows.count() == len(POOL)
    assert sorted(rows.values_list("number", flat=True)) == sorted(o[1] for o in reserved)
    assert not PoolNumber.objects.exclude(status=NumberStatus.RESERVED).exists()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_one_vehicle_racing_from_many_processes_holds_one_number():
    load_pool(numbers=POOL)
    user = CitizenFactory()
    vin = new_vin(99)
    # Twelve processes, one VIN, each after a different number: only one may win.
    outcomes, elapsed = _run([(user.pk, vin, [number]) for number in POOL])
    assert not [o for o in outcomes if o[0] == "error"], outcomes
    reserved = [o for o in outcomes if o[0] == "reserved"]
    refused = [o for o in outcomes if o[0] == "refused"]
    print(f"\nplates vin race: {len(POOL)} processes, {len(refused)} refused, {elapsed:.2f}s")
    assert len(reserved) == 1 and len(refused) == len(POOL) - 1
    assert {o[2] for o in refused} == {"vin_has_reservation"}
    _assert_held_once()
    assert Reservation.objects.filter(vin=vin).count() == 1
    assert PoolNumber.objects.filter(status=NumberStatus.RESERVED).count() == 1
