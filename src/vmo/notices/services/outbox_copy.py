"""Many outbox rows in one statement on PostgreSQL: COPY them into a temporary table, then move
them with one INSERT … SELECT … ON CONFLICT (dedup_key) DO NOTHING.

The unique index on dedup_key is the one "already told?" check: a row whose key is taken
(by an earlier run, or by a concurrent writer that committed first) is skipped by the insert,
and RETURNING says which rows are new. Rows go in key order, so two writers of overlapping
keys wait for each other in one order and never deadlock. What bulk_create spends per field of
every row (its preparation and the parameters of a statement of thousands) is replaced by one
conversion per encrypted column and a COPY stream.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from django.db import connection, models

from ..models import Message

_STAGE = "vmo_notice_stage"
# Column types that psycopg writes as they are (no field conversion): plain text, numbers,
# aware datetimes, foreign-key ids. Any other field (the encrypted ones) goes through its own
# get_db_prep_save, as the ORM would.
_DIRECT = (models.CharField, models.DateTimeField, models.IntegerField, models.ForeignKey)


@cache
def _plan() -> tuple[tuple[str, ...], tuple[Callable[[Any], Any] | None, ...]]:
    """The columns written (all but the id), and each one's conversion (None: as it is)."""
    fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
    convert = tuple(
        None
        if isinstance(f, _DIRECT) or type(f) is models.TextField
        else (lambda value, f=f: f.get_db_prep_save(value, connection=connection))
        for f in fields
    )
    return tuple(f.attname for f in fields), convert


def _defaults() -> dict[str, Any]:
    names, _convert = _plan()
    fields = {f.attname: f for f in Message._meta.concrete_fields}
    return {name: fields[name].get_default() for name in names}


def rows_insert(*, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Write the rows (field values by attname; the others take their defaults) unless their
    key is taken; returns the channel of each row written."""
    if not rows:
        return []
    names, convert = _plan()
    defaults = _defaults()
    quote = connection.ops.quote_name
    table = quote(Message._meta.db_table)
    column_of = {f.attname: f.column for f in Message._meta.concrete_fields}
    columns = ", ".join(quote(column_of[n]) for n in names)
    with connection.cursor() as cursor:
        # The stage has the outbox's column types and nothing else: no index, no constraint.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_STAGE} ON COMMIT DROP AS"  # noqa: S608 - names from _meta
            f" SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.connection.cursor().copy(f"COPY {_STAGE} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for name, conversion in zip(names, convert, strict=True):
                    value = row.get(name, defaults[name])
                    values.append(value if conversion is None else conversion(value))
                copy.write_row(values)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {_STAGE}"  # noqa: S608
            " ORDER BY dedup_key ON CONFLICT (dedup_key) DO NOTHING RETURNING channel"
        )
        written = [channel for (channel,) in cursor.fetchall()]
        # ON COMMIT DROP is not enough when the caller's transaction goes on past this write.
        cursor.execute(f"DROP TABLE {_STAGE}")
    return written
