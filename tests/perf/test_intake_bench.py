"""Benchmark of camera-record intake. Not part of the normal suite.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vmo_bench \\
        .venv/bin/pytest tests/perf/test_intake_bench.py -m perf -s -p no:xdist

The test database is made fresh and filled with the scale generator (VMO_BENCH_PEOPLE people,
default 100,000: about 50,000 vehicles), untimed. Then a CSV file of VMO_BENCH_RECORDS camera
records (default 1,000,000) is written: most on those vehicles' plates, the rest on plates of
other cities, with a few bad rows. The timed part reads, checks and loads the file, as
`manage.py import_violations` does. Target on PostgreSQL: one million records in under 60 s.
"""

from __future__ import annotations

import csv
import os
import random
import time
from datetime import timedelta

import pytest
from django.db import connection

from vmo.core import clock
from vmo.demo.generate import generate
from vmo.registry.models import Plate, Vehicle
from vmo.violations.choices import IntakeChannel
from vmo.violations.intake import intake_records, parse_csv
from vmo.violations.models import IntakeRejection, Violation
from vmo.violations.reference import CAMERA_CODES

pytestmark = [pytest.mark.perf, pytest.mark.timeout(3600)]

BUDGET_SECONDS_PER_RECORD = 60 / 1_000_000
MATCHED_SHARE = 0.7
BAD_EVERY = 1000  # one bad row in a thousand
SPEEDING = {"1303", "1636"}


def _write_delivery(
    path, records: int, plates: list[tuple[str, str]], seed: int = 7, prefix: str = "BENCH"
) -> None:
    rng = random.Random(seed)
    now = clock.now().replace(microsecond=0)
    codes = list(CAMERA_CODES)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "record_id",
                "occurred_at",
                "place",
                "device",
                "plate_number",
                "plate_type",
                "code",
                "speed_kmh",
                "limit_kmh",
                "evidence",
            ]
        )
        for n in range(records):
            if rng.random() < MATCHED_SHARE:
                number, plate_type = plates[rng.randrange(len(plates))]
            else:
                number, plate_type = f"新A{rng.randrange(100000):05d}", "02"
            code = "0000" if n % BAD_EVERY == 999 else codes[rng.randrange(len(codes))]
            speed, limit = ("", "")
            if code in SPEEDING:
                limit = 60
                speed = rng.randint(73, 89)
            moment = now - timedelta(seconds=rng.randrange(5 * 86400))
            device = f"CJ-CAM-{100 + n % 900}"
            writer.writerow(
                [
                    f"{prefix}{n:015d}",
                    moment.isoformat(),
                    "昌吉市延安北路与北京南路交叉口",
                    device,
                    number,
                    plate_type,
                    code,
                    speed,
                    limit,
                    f"{device}/{n}-1.jpg|{device}/{n}-2.jpg",
                ]
            )


@pytest.mark.django_db(transaction=True)
def test_intake_meets_the_million_in_a_minute_target(tmp_path):
    people = int(os.environ.get("VMO_BENCH_PEOPLE", "100000"))
    records = int(os.environ.get("VMO_BENCH_RECORDS", "1000000"))
    if Vehicle.objects.count() < people // 4:
        generate(people=people, progress=lambda line: None)
    plates = list(Plate.objects.filter(status="active").values_list("number", "plate_type"))
    path = tmp_path / "delivery.csv"
    _write_delivery(path, records, plates)
    print(f"\n[{connection.vendor}] {len(plates):,} plates on record; file of {records:,} records")

    started = time.monotonic()
    with path.open(encoding="utf-8", newline="") as stream:
        batch = intake_records(
            rows=parse_csv(stream), channel=IntakeChannel.COMMAND, source_name=path.name
        )
    seconds = time.monotonic() - started

    print(
        f"[{connection.vendor}] {batch.total:,} rows: {batch.loaded:,} loaded, "
        f"{batch.unmatched:,} unmatched, {batch.rejected:,} refused, {batch.duplicates:,} "
        f"duplicates in {seconds:.1f}s ({batch.total / seconds:,.0f} rows/s)"
    )
    assert batch.total == records
    assert batch.rejected == records // BAD_EVERY
    assert batch.loaded == records - batch.rejected
    assert Violation.objects.filter(batch=batch).count() == batch.loaded
    assert IntakeRejection.objects.filter(batch=batch).count() == batch.rejected
    assert Vehicle.objects.filter(status__contains="G").count() > 0
    if connection.vendor == "postgresql":
        budget = records * BUDGET_SECONDS_PER_RECORD
        assert seconds <= budget, f"{seconds:.1f}s for {records:,} records is over {budget:.0f}s"
