"""Intake of camera records (RP Arts 18-20): read a delivery, check every row, load the good ones.

A delivery is one IntakeBatch. Every row is checked in full, so a refused row lists all of its
problems at once (IntakeRejection); the good rows are loaded in chunks, each chunk in its own
transaction: memory stays bounded, and a delivery that stops half-way can simply be sent again,
because a record id already on record counts as a duplicate and is never loaded twice.

Loading is set-based: on PostgreSQL each chunk is COPied into a temporary table and moved with
one INSERT ... SELECT that joins the plates and the codes and skips known record ids
(ON CONFLICT DO NOTHING); elsewhere bulk_create does the same job. A helper thread reads and
checks the next chunk meanwhile, and on PostgreSQL two connections load chunks at once. Vehicles
matched by an active plate (number and type) get the G letter in bulk, and their owners an
in-app message.

The file format is in docs/intake-format.md.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils.translation import gettext

from vmo.core import clock
from vmo.core.services import event_record
from vmo.registry.choices import VehicleStatus
from vmo.registry.services import vehicles_add_flag_bulk

from .choices import IntakeChannel
from .intake_clients import intake_client_create, intake_client_for_key, intake_client_set_active
from .intake_load import Inserted, copy_payload, fine_for
from .intake_load import records_load as _load  # one name, which tests replace
from .intake_reasons import reason, reason_items, reason_message
from .intake_rows import (
    PARSERS,
    IntakeFormatError,
    Row,
    check_row,
    parse_csv,
    parse_jsonl,
)
from .models import IntakeBatch, IntakeClient, IntakeRejection, ViolationCode
from .notify import NewRecord, Owner, Told, owner_accounts, violations_notify_new

if TYPE_CHECKING:
    from vmo.accounts.models import User

CHUNK_SIZE = 50_000
# Database connections loading chunks at once on PostgreSQL (see _load_chunks).
LOADERS = 2

logger = logging.getLogger(__name__)

__all__ = [
    "PARSERS",
    "IntakeFormatError",
    "batch_summary",
    "check_row",
    "fine_for",
    "intake_client_create",
    "intake_client_for_key",
    "intake_client_set_active",
    "intake_records",
    "parse_csv",
    "parse_jsonl",
    "reason_items",
    "reason_message",
]


# --- The service ---------------------------------------------------------------------------


def _chunks(
    rows: Iterable[tuple[int, dict[str, Any]]], size: int
) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class _Delivery:
    """What one delivery remembers from chunk to chunk (bounded by the number of vehicles)."""

    batch: IntakeBatch
    codes: dict[str, ViolationCode]
    actor: User | None
    flagged: set[int] = field(default_factory=set)
    accounts: dict[Owner, Told] = field(default_factory=dict)


def _check(
    chunk: list[tuple[int, dict[str, Any]]], delivery: _Delivery, now: datetime
) -> tuple[list[Row], list[IntakeRejection]]:
    good: list[Row] = []
    refused: list[IntakeRejection] = []
    first_line: dict[str, int] = {}
    codes, batch = delivery.codes, delivery.batch
    for line, raw in chunk:
        row, reasons = check_row(line, raw, codes=codes, now=now)
        if row is not None:
            seen = first_line.get(row.record_id)
            if seen is None:
                first_line[row.record_id] = line
                good.append(row)
                continue
            reasons = [reason("duplicate_in_file", "record_id", value=row.record_id, line=seen)]
        record_id = raw.get("record_id")
        refused.append(
            IntakeRejection(
                batch=batch,
                line=line,
                record_id=str(record_id).strip()[:40] if record_id is not None else "",
                reasons=reasons,
            )
        )
    return good, refused


@dataclass
class _Checked:
    rows: int
    good: list[Row]
    refused: list[IntakeRejection]
    now: datetime
    seconds: float
    payload: bytes | None = None


_DONE = object()


def _checked_chunks(
    rows: Iterable[tuple[int, dict[str, Any]]], size: int, delivery: _Delivery
) -> Generator[_Checked, None, None]:
    """The chunks, read and checked in a helper thread while the database loads the previous
    one: reading and checking is Python work, loading is mostly the database's, so the two
    overlap on a machine with two cores. At most three chunks are in memory at once."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=1)
    stop = threading.Event()
    copying = connection.vendor == "postgresql"

    def put(item: Any) -> bool:
        ready.put(item)
        return not stop.is_set()

    def work() -> None:
        try:
            for chunk in _chunks(rows, size):
                started, now = time.monotonic(), clock.now()
                good, refused = _check(chunk, delivery, now)
                payload = copy_payload(good) if copying else None
                seconds = time.monotonic() - started
                if not put(_Checked(len(chunk), good, refused, now, seconds, payload)):
                    return
            put(_DONE)
        except BaseException as exc:  # handed over to the caller, raised there
            put(exc)

    worker = threading.Thread(target=work, name="intake-check", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        # A worker waiting to hand over a chunk gets the room to do so, sees `stop` and ends.
        with contextlib.suppress(queue.Empty):
            ready.get_nowait()
        worker.join()


def _notify(good: list[Row], matched: list[Inserted], delivery: _Delivery) -> None:
    """Tell the owners at the time with an account, and the people acting for an owning
    company; records of other vehicles cost no more than a lookup."""
    owners = {(person, company) for _r, _v, person, company in matched}
    accounts = owner_accounts(owners, delivery.accounts)
    told = {
        record_id: (person, company)
        for record_id, _v, person, company in matched
        if accounts[(person, company)]
    }
    if not told:
        return
    violations_notify_new(
        records=[
            NewRecord(
                record_id=row.record_id,
                owner=told[row.record_id],
                plate_number=row.plate_number,
                occurred_at=row.occurred_at,
                place=row.place,
                code=row.code,
                fine_fen=fine_for(row.code),
            )
            for row in good
            if row.record_id in told
        ],
        accounts=accounts,
    )


def _intake_chunk(checked: _Checked, delivery: _Delivery) -> None:
    batch, now, good, refused = delivery.batch, checked.now, checked.good, checked.refused
    checked_at = time.monotonic()
    with transaction.atomic():
        result = _load(good, batch=batch, now=now, payload=checked.payload)
        loaded = time.monotonic()
        refused.extend(
            IntakeRejection(
                batch=batch,
                line=row.line,
                record_id=row.record_id,
                reasons=[reason("duplicate_earlier_in_file", "record_id", value=row.record_id)],
            )
            for row in good
            if row.record_id in result.repeated
        )
        IntakeRejection.objects.bulk_create(refused, batch_size=1000)
        matched = [row for row in result.inserted if row[1] is not None]
        # A vehicle flagged by an earlier chunk of this delivery needs no second look.
        vehicles = {vid for _r, vid, _p, _c in matched if vid is not None} - delivery.flagged
        vehicles_add_flag_bulk(
            vehicle_ids=vehicles,
            letter=VehicleStatus.VIOLATIONS_UNHANDLED,
            reason=f"camera records entered (intake batch {batch.pk})",
            subject=batch,
            actor=delivery.actor,
        )
        delivery.flagged |= vehicles
        flagged = time.monotonic()
        _notify(good, matched, delivery)
        notified = time.monotonic()
        counts = {
            "total": checked.rows,
            "loaded": len(result.inserted),
            "duplicates": result.duplicates,
            "rejected": len(refused),
            "unmatched": len(result.inserted) - len(matched),
        }
        # Progress is kept per chunk, so a delivery that stopped shows how far it got.
        IntakeBatch.objects.filter(pk=batch.pk).update(
            **{name: models.F(name) + value for name, value in counts.items()}
        )
    logger.info(
        "intake chunk batch=%s rows=%s loaded=%s check=%.2fs load=%.2fs flags=%.2fs"
        " notify=%.2fs commit=%.2fs",
        batch.pk,
        checked.rows,
        len(result.inserted),
        checked.seconds,
        loaded - checked_at,
        flagged - loaded,
        notified - flagged,
        time.monotonic() - notified,
    )


def _load_chunks(chunks: Iterator[_Checked], delivery: _Delivery) -> None:
    """Load the chunks, on PostgreSQL with LOADERS connections at once: each chunk is its own
    transaction, and the database's work (indexes, foreign keys) is most of the time, so two
    connections use both cores. Inside a caller's transaction (tests) a second connection would
    not see the batch, so chunks then load one by one on the caller's connection."""
    if connection.vendor != "postgresql" or LOADERS < 2 or connection.in_atomic_block:
        for checked in chunks:
            _intake_chunk(checked, delivery)
        return
    handing_out = threading.Lock()
    failures: list[BaseException] = []

    def loader(own_connection: bool) -> None:
        try:
            while not failures:
                with handing_out:
                    checked = next(chunks, None)
                if checked is None:
                    return
                _intake_chunk(checked, delivery)
        except BaseException as exc:
            failures.append(exc)
        finally:
            if own_connection:
                connection.close()

    helpers = [
        threading.Thread(target=loader, args=(True,), name=f"intake-load-{n}")
        for n in range(1, LOADERS)
    ]
    for helper in helpers:
        helper.start()
    loader(own_connection=False)
    for helper in helpers:
        helper.join()
    if failures:
        raise failures[0]


def intake_records(
    *,
    rows: Iterable[tuple[int, dict[str, Any]]],
    channel: str,
    source_name: str,
    submitted_by: Any = None,
    client: IntakeClient | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> IntakeBatch:
    """Check and load a delivery of camera records; returns its batch with the counts.

    Each chunk is one transaction. A row is refused with every reason it has; a record id
    already on record is a duplicate, counted and skipped, so a delivery can be sent again.
    """
    if channel not in IntakeChannel.values:
        raise ValueError(f"unknown intake channel {channel!r}")
    # The first row is read here, so a delivery that cannot be read at all (no header, missing
    # columns) is refused before any batch is written.
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        raise IntakeFormatError(gettext("The delivery has no records."), "empty")
    rows = chain([first], iterator)
    actor = submitted_by if getattr(submitted_by, "pk", None) else None
    batch = IntakeBatch.objects.create(
        channel=channel,
        source_name=source_name[:200],
        submitted_by=actor,
        client=client,
        received_at=clock.now(),
    )
    delivery = _Delivery(
        batch=batch, codes={c.code: c for c in ViolationCode.objects.all()}, actor=actor
    )
    chunks = _checked_chunks(rows, chunk_size, delivery)
    try:
        _load_chunks(chunks, delivery)
    finally:
        # Stops the checking thread at once if loading failed, not when the traceback goes.
        chunks.close()
    batch.refresh_from_db()
    batch.finished_at = clock.now()
    with transaction.atomic():
        batch.save(update_fields=["finished_at"])
        event_record(
            actor=actor,
            subject=batch,
            action="intake.finish",
            after={
                "channel": channel,
                "source": batch.source_name,
                "client": client.name if client else "",
                "total": batch.total,
                "loaded": batch.loaded,
                "duplicates": batch.duplicates,
                "rejected": batch.rejected,
                "unmatched": batch.unmatched,
            },
        )
    return batch


def batch_summary(batch: IntakeBatch, *, rejections: int | None = 20) -> dict[str, Any]:
    """The counts of a batch and its first rejections (all with rejections=None)."""
    refused = batch.rejections.order_by("line")
    if rejections is not None:
        refused = refused[:rejections]
    return {
        "batch": batch.pk,
        "total": batch.total,
        "loaded": batch.loaded,
        "duplicates": batch.duplicates,
        "rejected": batch.rejected,
        "unmatched": batch.unmatched,
        "rejections": [
            {"line": r.line, "record_id": r.record_id, "errors": reason_items(r.reasons)}
            for r in refused
        ],
    }
