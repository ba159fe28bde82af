"""The scale generator: a prefecture of N people, for benchmarks.

About 70% of the people hold a driving licence, about 45% own a vehicle (with its plate and
vehicle licence), most drivers have an account. Over five years the vehicles collected about
five violation records a person, heavy-tailed per vehicle (records.py), with the decisions,
points, payments and in-app messages that handling them left (inbox.py), and a share of the
people applied for a business (applications_gen.py). Status letters are derived with
registry.rules, as the services would. Identifiers come from counters through bijections
(identifiers.py) and are checked against the database in bulk, so a run never collides with
the demo, with people who signed up, or with an earlier run. Rows go in by COPY on PostgreSQL.

No history events are written: these are synthetic records, not decisions.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime

from django.db import connection, reset_queries

from vmo.core import clock
from vmo.core.selectors import office_config
from vmo.registry import validators
from vmo.violations.models import ViolationCode
from vmo.violations.reference import CAMERA_CODES

from . import indexes
from .applications_gen import Applications
from .batch import Batch
from .ensure import violation_codes_sync
from .inbox import Inbox
from .officers import counter_officer
from .records import Records

DEFER_INDEXES_FROM = 100_000


@dataclass
class Totals:
    people: int = 0
    accounts: int = 0
    licences: int = 0
    vehicles: int = 0
    violations: int = 0
    decisions: int = 0
    points: int = 0
    payments: int = 0
    messages: int = 0
    applications: int = 0
    seconds: float = 0.0

    def add(self, counts: dict[str, int]) -> None:
        for name, value in counts.items():
            setattr(self, name, getattr(self, name) + value)

    def line(self) -> str:
        rate = self.people / self.seconds if self.seconds else 0
        counts = ", ".join(
            f"{getattr(self, f.name):,} {f.name}" for f in fields(self) if f.name != "seconds"
        )
        return f"{counts} in {self.seconds:.1f}s ({rate:,.0f} people/s)"


class Generator:
    def __init__(self, *, seed: int, today: date, now: datetime) -> None:
        self.rng = random.Random(seed)
        self.today, self.now = today, now
        config = office_config()
        if not ViolationCode.objects.filter(code__in=CAMERA_CODES).exists():
            violation_codes_sync()
        codes = list(ViolationCode.objects.filter(code__in=CAMERA_CODES).order_by("code"))
        self.records = Records(
            rng=self.rng,
            today=today,
            now=now,
            codes=codes,
            red_light=next((c for c in codes if c.points == 6 and not c.speed_required), None),
            officer_pk=counter_officer().pk,
            online_fine_limit_fen=config.online_fine_limit_fen,
        )
        self.inbox = Inbox(self.rng, now)
        self.applications = Applications(self.rng, today, now, self.records.add_working_days)
        self.batch = Batch(
            rng=self.rng,
            today=today,
            now=now,
            regions=[r.strip() for r in config.region_codes.split(",") if r.strip()],
            city=config.city_name_zh,
            prefix=validators.normalise_plate(config.plate_prefix),
            decision_prefix=(config.region_code_list or ["6523"])[0][:4],
            records=self.records,
            inbox=self.inbox,
            applications=self.applications,
        )


def generate(
    *,
    people: int,
    seed: int = 2026,
    batch: int = 20_000,
    progress: Callable[[str], None] = print,
    defer_indexes: bool | None = None,
) -> Totals:
    """Add `people` people and their records. The secondary indexes are set aside during the
    load (indexes.py) when asked, by default for runs of DEFER_INDEXES_FROM people or more."""
    started = time.monotonic()
    gen = Generator(seed=seed, today=clock.today(), now=clock.now())
    totals = Totals()
    tables = gen.batch.table_names()
    defer = people >= DEFER_INDEXES_FROM if defer_indexes is None else defer_indexes
    with indexes.deferred(tables, enabled=defer):
        while totals.people < people:
            totals.add(gen.batch.run(min(batch, people - totals.people)))
            # With DEBUG on, Django keeps every query's SQL; the bulk lookups are megabytes each.
            reset_queries()
            totals.seconds = time.monotonic() - started
            progress(totals.line())
        if defer:
            progress("Building the indexes set aside during the load...")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Fresh statistics, so the planner knows the tables just grew.
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    totals.seconds = time.monotonic() - started
    return totals
