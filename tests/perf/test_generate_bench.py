"""Benchmark of the scale generator. Not part of the normal suite.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vmo_bench \\
        .venv/bin/pytest tests/perf/test_generate_bench.py -m perf -s

VMO_BENCH_PEOPLE sets N (default 100,000: from there the secondary indexes are set aside
during the load, as for the million). The budget is the target scaled down: one million people
with at least five million violations in 15 minutes on PostgreSQL with 2 cores, i.e. 0.9 ms a
person, index builds included.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

from vmo.demo.generate import generate
from vmo.registry.models import Person

pytestmark = [
    pytest.mark.perf,
    pytest.mark.timeout(3600),
]

BUDGET_SECONDS_PER_PERSON = 15 * 60 / 1_000_000
VIOLATIONS_PER_PERSON = 4.5  # five million for a million people, give or take the draw


@pytest.mark.django_db
def test_generate_meets_the_million_in_15_minutes_target():
    people = int(os.environ.get("VMO_BENCH_PEOPLE", "100000"))
    totals = generate(people=people, batch=20_000, progress=print)
    print(f"[{connection.vendor}] {totals.line()}")
    assert Person.objects.count() >= people
    assert totals.violations >= people * VIOLATIONS_PER_PERSON
    assert totals.decisions and totals.payments and totals.messages and totals.applications
    assert totals.seconds <= people * BUDGET_SECONDS_PER_PERSON, (
        f"{totals.seconds:.1f}s for {people:,} people is over the budget of {people * BUDGET_SECONDS_PER_PERSON:.1f}s"
    )
