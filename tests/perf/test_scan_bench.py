"""Benchmark of the daily notice scans over the scale dataset. Not part of the normal suite.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vmo_bench \\
        VMO_BENCH_PEOPLE=1000000 .venv/bin/pytest tests/perf/test_scan_bench.py -m perf -s -p no:xdist

The database is filled by the scale generator (VMO_BENCH_PEOPLE people, default 1,000,000),
untimed. The timed part runs every registered scan for today, as the beat task does, writing
the outbox (delivery is the workers' job and is not timed). It is the worst day: the first run,
when every licence and vehicle inside a window is told at once. A second run must write
nothing. Target on PostgreSQL: under 2 minutes for the million-person dataset.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import time

import pytest
from django.db import connection

from vmo.core import clock
from vmo.demo.generate import generate
from vmo.notices.models import Message
from vmo.notices.scans import scans_run
from vmo.registry.models import DriverLicence, Person, Vehicle

pytestmark = [pytest.mark.perf, pytest.mark.timeout(7200)]

BUDGET_SECONDS = 120  # for 1,000,000 people


@pytest.mark.django_db
def test_scans_over_the_million_person_dataset_take_under_two_minutes():
    people = int(os.environ.get("VMO_BENCH_PEOPLE", "1000000"))
    if Person.objects.count() < people:
        generate(people=people, batch=20_000, progress=print)
    day = clock.today()
    print(
        f"[{connection.vendor}] {Person.objects.count():,} people, "
        f"{DriverLicence.objects.count():,} licences, {Vehicle.objects.count():,} vehicles"
    )
    profile = cProfile.Profile() if os.environ.get("VMO_BENCH_PROFILE") else None
    started = time.monotonic()
    if profile:
        profile.enable()
    results = scans_run(day=day, publish=False)
    seconds = time.monotonic() - started
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    for code, count in results.items():
        print(f"  {code}: {count:,}")
    written = sum(results.values())
    print(f"scans wrote {written:,} outbox rows in {seconds:.1f}s")
    assert Message.objects.count() >= written > 0

    again = time.monotonic()
    assert sum(scans_run(day=day, publish=False).values()) == 0
    print(f"second run: nothing new, {time.monotonic() - again:.1f}s")
    budget = BUDGET_SECONDS * people / 1_000_000
    assert seconds <= budget, f"{seconds:.1f}s is over the budget of {budget:.0f}s"
