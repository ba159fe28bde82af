"""Loading checked camera records, set-based (see intake.py for the whole delivery).

On PostgreSQL each chunk is COPied into a temporary table and moved with one INSERT ... SELECT
that joins the plates and the codes and skips known record ids (ON CONFLICT DO NOTHING);
elsewhere bulk_create does the same job.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connection, models

from vmo.registry import ownership_selectors as ownership
from vmo.registry import selectors as registry
from vmo.registry.choices import PlateStatus

from .choices import HandlingStatus, PaymentStatus, Source
from .intake_rows import (
    Row,
)
from .models import IntakeBatch, Violation, ViolationCode

# Values per query where a list goes into IN (...) (SQLite allows about 32,000 parameters).
LOOKUP_BATCH = 2000


def fine_for(code: ViolationCode) -> int:
    """The fine a camera record carries.

    Where the code has one amount (min == max) that is the office's standard. Where the law
    gives a range, the reference table keeps the office's camera standard as the top of the
    range, as the demo city and the generator do; a camera record has no officer on the spot
    to weigh circumstances, and the penalty decision (PenaltyDecision.fine_fen) is where a
    lower amount is set when handling finds grounds for it. Amounts are data (each violation code's range).
    """
    return code.fine_min_fen if code.fine_min_fen == code.fine_max_fen else code.fine_max_fen


# (record id, vehicle id or None, owner person id, owner company id) of each record a chunk
# added: the owner at the time of the offence (registry.ownership_selectors' rule).
Inserted = tuple[str, int | None, int | None, int | None]


@dataclass
class ChunkResult:
    inserted: list[Inserted] = field(default_factory=list)
    # Record ids already on record from this very delivery: repeated in the file.
    repeated: set[str] = field(default_factory=set)
    duplicates: int = 0


def _batches(values: list[Any], size: int = LOOKUP_BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _batch_of(record_ids: list[str]) -> dict[str, int | None]:
    """The batch of each record id already on record."""
    if connection.vendor == "postgresql":
        # One array parameter: no IN list of thousands of values to build and parse.
        table = connection.ops.quote_name(Violation._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT record_id, batch_id FROM {table} WHERE record_id = ANY(%s)",  # noqa: S608 - name from _meta
                [record_ids],
            )
            return dict(cursor.fetchall())
    found: dict[str, int | None] = {}
    for part in _batches(record_ids):
        found.update(
            Violation.objects.filter(record_id__in=part).values_list("record_id", "batch_id")
        )
    return found


_COVERED = {
    "id",
    "record_id",
    "source",
    "plate_number",
    "plate_type",
    "speed_kmh",
    "limit_kmh",
    "evidence",
    "batch_id",
    "vehicle_id",
    "owner_person_id",
    "owner_company_id",
    "code_id",
    "occurred_at",
    "place",
    "device",
    "points",
    "fine_fen",
    "handling_status",
    "payment_status",
    "recorded_at",
}


def _other_columns() -> list[tuple[str, Any]]:
    """Columns added to Violation after this loader was written, with their defaults."""
    extra = []
    for f in Violation._meta.concrete_fields:
        if f.attname in _COVERED:
            continue
        if not (f.has_default() or f.null):
            raise TypeError(f"Violation.{f.name} needs a default for camera-record intake")
        value = f.get_default()
        if isinstance(f, models.JSONField) and value is not None:
            value = json.dumps(value)
        extra.append((f.column, value))
    return extra


_STAGE = "vmo_intake_stage"
_STAGE_COLUMNS = (
    "line integer, record_id varchar(40), plate_number varchar(10), plate_type varchar(2),"
    " code varchar(5), occurred_at timestamptz, place varchar(200), device varchar(40),"
    " speed_kmh smallint, limit_kmh smallint, evidence text"
)


_NULL = "\\N"


def _copy_text(value: str) -> str:
    # Control characters were refused by the checks; only the backslash needs escaping.
    return value.replace("\\", "\\\\") if "\\" in value else value


def copy_payload(rows: list[Row]) -> bytes:
    """The rows in COPY text format, made by the checking thread so that loading only sends
    them. Record ids, plates, types and codes passed checks that exclude special characters."""
    lines = []
    for r in rows:
        speed = _NULL if r.speed_kmh is None else r.speed_kmh
        limit = _NULL if r.limit_kmh is None else r.limit_kmh
        lines.append(
            f"{r.line}\t{r.record_id}\t{r.plate_number}\t{r.plate_type}\t{r.code.code}\t"
            f"{r.occurred_at.isoformat()}\t{_copy_text(r.place)}\t{_copy_text(r.device)}\t"
            f"{speed}\t{limit}\t{_copy_text(r.evidence)}\n"
        )
    return "".join(lines).encode()


def _load_postgresql(
    rows: list[Row], *, batch: IntakeBatch, now: datetime, payload: bytes | None = None
) -> ChunkResult:
    quote = connection.ops.quote_name
    violation = quote(Violation._meta.db_table)
    plate = quote(registry.plates().model._meta.db_table)
    vehicle = quote(registry.vehicles().model._meta.db_table)
    past = quote(ownership.past_owners().model._meta.db_table)
    code = quote(ViolationCode._meta.db_table)
    extra = _other_columns()
    extra_columns = "".join(f", {quote(column)}" for column, _v in extra)
    extra_values = "".join(", %s" for _e in extra)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {_STAGE} ({_STAGE_COLUMNS}) ON COMMIT DROP")
        with cursor.connection.cursor().copy(f"COPY {_STAGE} FROM STDIN") as copy:
            copy.write(payload if payload is not None else copy_payload(rows))
        # The plate join uses the partial unique index of active plates: one vehicle at most.
        # Rows go in record-id order, so two chunks loading at once that share a (repeated)
        # record id wait for each other in one order and never deadlock.
        # The fine follows fine_for(). The evidence JSON is built here, not row by row in Python.
        cursor.execute(
            f"""
            INSERT INTO {violation} (
                record_id, source, plate_number, plate_type, speed_kmh, limit_kmh, evidence,
                batch_id, vehicle_id, owner_person_id, owner_company_id, code_id, occurred_at,
                place, device,
                points, fine_fen, handling_status, payment_status, recorded_at{extra_columns}
            )
            SELECT s.record_id, %s, s.plate_number, s.plate_type, s.speed_kmh, s.limit_kmh,
                to_jsonb(string_to_array(s.evidence, '|')), %s, p.vehicle_id,
                CASE WHEN o.found IS NULL THEN v.owner_person_id ELSE o.owner_person_id END,
                CASE WHEN o.found IS NULL THEN v.owner_company_id ELSE o.owner_company_id END,
                c.id,
                s.occurred_at, s.place, s.device, c.points,
                CASE WHEN c.fine_min_fen = c.fine_max_fen THEN c.fine_min_fen
                     ELSE c.fine_max_fen END,
                %s, CASE WHEN c.fine_max_fen = 0 THEN %s ELSE %s END, %s{extra_values}
            FROM {_STAGE} s
            JOIN {code} c ON c.code = s.code
            LEFT JOIN {plate} p
                ON p.number = s.plate_number AND p.plate_type = s.plate_type AND p.status = %s
            LEFT JOIN {vehicle} v ON v.id = p.vehicle_id
            LEFT JOIN LATERAL (
                SELECT 1 AS found, po.owner_person_id, po.owner_company_id FROM {past} po
                WHERE po.vehicle_id = p.vehicle_id AND po.until > s.occurred_at
                ORDER BY po.until LIMIT 1
            ) o ON TRUE
            ORDER BY s.record_id
            ON CONFLICT (record_id) DO NOTHING
            RETURNING record_id, vehicle_id, owner_person_id, owner_company_id
            """,  # noqa: S608 - table names from _meta
            [
                Source.CAMERA,
                batch.pk,
                HandlingStatus.UNHANDLED,
                PaymentStatus.NOT_DUE,
                PaymentStatus.UNPAID,
                now,
                *[value for _c, value in extra],
                PlateStatus.ACTIVE,
            ],
        )
        result = ChunkResult(inserted=cursor.fetchall())
        # ON COMMIT DROP is not enough when the caller's transaction goes on past this chunk.
        cursor.execute(f"DROP TABLE {_STAGE}")
    if len(result.inserted) < len(rows):
        loaded = {i[0] for i in result.inserted}
        conflicts = [r.record_id for r in rows if r.record_id not in loaded]
        owners = _batch_of(conflicts)
        result.repeated = {rid for rid in conflicts if owners.get(rid) == batch.pk}
        result.duplicates = len(conflicts) - len(result.repeated)
    return result


def _load_portable(rows: list[Row], *, batch: IntakeBatch, now: datetime) -> ChunkResult:
    owners = _batch_of([r.record_id for r in rows])
    result = ChunkResult()
    result.repeated = {rid for rid, owner in owners.items() if owner == batch.pk}
    result.duplicates = len(owners) - len(result.repeated)
    fresh = [r for r in rows if r.record_id not in owners]
    vehicles: dict[tuple[str, str], tuple[int | None, int | None, int | None]] = {}
    for part in _batches(sorted({r.plate_number for r in fresh})):
        for number, plate_type, vehicle_id, owner_id, company_id in (
            registry.active_plates()
            .filter(number__in=part)
            .values_list(
                "number",
                "plate_type",
                "vehicle_id",
                "vehicle__owner_person_id",
                "vehicle__owner_company_id",
            )
        ):
            vehicles[(number, plate_type)] = (vehicle_id, owner_id, company_id)
    unknown = (None, None, None)
    histories: dict[int, ownership.History] = {}
    for ids in _batches(sorted({v[0] for v in vehicles.values() if v[0] is not None})):
        histories.update(ownership.past_owners_of(ids))

    def owner(r: Row) -> ownership.Owner:
        vehicle_id, person, company = vehicles.get((r.plate_number, r.plate_type), unknown)
        history = histories.get(vehicle_id, ()) if vehicle_id is not None else ()
        return ownership.owner_when(history, at=r.occurred_at, now=(person, company))

    owner_of = {r.record_id: owner(r) for r in fresh}
    Violation.objects.bulk_create(
        [
            Violation(
                record_id=r.record_id,
                source=Source.CAMERA,
                plate_number=r.plate_number,
                plate_type=r.plate_type,
                speed_kmh=r.speed_kmh,
                limit_kmh=r.limit_kmh,
                evidence=r.evidence.split("|"),
                batch=batch,
                vehicle_id=vehicles.get((r.plate_number, r.plate_type), unknown)[0],
                owner_person_id=owner_of[r.record_id][0],
                owner_company_id=owner_of[r.record_id][1],
                code=r.code,
                occurred_at=r.occurred_at,
                place=r.place,
                device=r.device,
                points=r.code.points,
                fine_fen=fine_for(r.code),
                handling_status=HandlingStatus.UNHANDLED,
                payment_status=PaymentStatus.UNPAID if fine_for(r.code) else PaymentStatus.NOT_DUE,
                recorded_at=now,
            )
            for r in fresh
        ],
        batch_size=500,
        # A concurrent delivery of the same record wins; this one then counts nothing for it.
        ignore_conflicts=True,
    )
    for part in _batches([r.record_id for r in fresh]):
        result.inserted.extend(
            Violation.objects.filter(batch=batch, record_id__in=part).values_list(
                "record_id", "vehicle_id", "owner_person_id", "owner_company_id"
            )
        )
    return result


def records_load(
    rows: list[Row], *, batch: IntakeBatch, now: datetime, payload: bytes | None = None
) -> ChunkResult:
    if not rows:
        return ChunkResult()
    if connection.vendor == "postgresql":
        return _load_postgresql(rows, batch=batch, now=now, payload=payload)
    return _load_portable(rows, batch=batch, now=now)
