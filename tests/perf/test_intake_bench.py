"""Benchmark of camera-record intake. Not part of the normal suite.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vmo_bench \\
        .venv/bin/pytest tests/perf/test_intake_bench.py -m perf -s -p no:xdist

The test database is made fresh and filled with the scale generator (VMO_BENCH_PEOPLE people,
default 100,000: about 50,000 vehicles), untimed. Then a CSV file of VMO_BENCH_RECORDS camera
records (default 1,000,000) is written: most on those vehicles' plates, the rest on plates of
other cities, with a few bad rows. The timed part reads, checks and loads the file, as
`manage.py import_violations` does. Target on PostgreSQL: one million records in under 60 s.

On PostgreSQL the same run also times the comparator of issue 13: a typed COPY of the same file
(every record, CSV as delivered) into a scratch table whose columns are the record's fields with
the violation table's types, its unique key on record_id and every index of the violation table
on those columns (read from the catalogue, so they stay the same when the table's change). The
goal is intake within 3 times that; the bench prints both times and the ratio as a markdown
table.
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
SCRATCH = "bench_intake_record"
# The delivery's fields, typed as the violation table stores them.
SCRATCH_COLUMNS = (
    "record_id varchar(40) NOT NULL, occurred_at timestamptz NOT NULL, place varchar(200),"
    " device varchar(40), plate_number varchar(10) NOT NULL, plate_type varchar(2),"
    " code varchar(5) NOT NULL, speed_kmh smallint CHECK (speed_kmh >= 0),"
    " limit_kmh smallint CHECK (limit_kmh >= 0), evidence text"
)
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


def _scratch_indexes(cursor) -> list[str]:
    """The violation table's indexes (its unique key included) on columns the scratch table
    has, as statements on the scratch table."""
    names = {part.split()[0] for part in SCRATCH_COLUMNS.split(",")}
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid),
               array_agg(a.attname::text), x.indpred IS NOT NULL
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)
        WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
        GROUP BY i.relname, x.indexrelid, x.indpred
        """,
        [Violation._meta.db_table],
    )
    statements = []
    for name, definition, columns, partial in cursor.fetchall():
        if partial or not set(columns) <= names:
            continue
        on = definition.index(" ON ")
        using = definition.index(" USING ")
        head = definition[:on].replace(name, f"{name}_bench")
        statements.append(f"{head} ON {SCRATCH}{definition[using:]}")
    return statements


def _comparator(path) -> tuple[float, int, list[str]]:
    """Seconds of a typed COPY of the file into the scratch table, rows copied, its indexes."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(f"CREATE TABLE {SCRATCH} ({SCRATCH_COLUMNS})")
        indexes = _scratch_indexes(cursor)
        for statement in indexes:
            cursor.execute(statement)
        try:
            started = time.monotonic()
            with connection.cursor() as timed, path.open("rb") as stream:
                copy_sql = f"COPY {SCRATCH} FROM STDIN WITH (FORMAT csv, HEADER true)"
                with timed.connection.cursor().copy(copy_sql) as copy:
                    while data := stream.read(1 << 20):
                        copy.write(data)
            seconds = time.monotonic() - started
            cursor.execute(f"SELECT count(*) FROM {SCRATCH}")  # noqa: S608 - a constant
            copied = cursor.fetchone()[0]
        finally:
            cursor.execute(f"DROP TABLE {SCRATCH}")
    return seconds, copied, [i.split(" ON ")[0].split()[-1] for i in indexes]


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
        base, copied, indexes = _comparator(path)
        assert copied == records
        print(
            f"\n| {records:,} records, {len(plates):,} plates | seconds | ratio |\n"
            "| --- | --- | --- |\n"
            f"| intake (check, load, flag, notify) | {seconds:.1f} | {seconds / base:.2f} |\n"
            f"| typed COPY, {len(indexes)} indexes (unique key included) | {base:.1f} | 1.00 |\n"
        )
        print("indexes of the scratch table:", ", ".join(indexes))
        budget = records * BUDGET_SECONDS_PER_RECORD
        assert seconds <= budget, f"{seconds:.1f}s for {records:,} records is over {budget:.0f}s"
