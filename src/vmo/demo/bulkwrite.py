"""Fast row writing for the scale generator: COPY on PostgreSQL, executemany elsewhere.

Rows bypass the ORM (no save(), no signals, no field encryption): the caller passes values
as they are stored, with personal data already encrypted. A Table is told which columns the
caller fills, in which order; every other concrete column gets its default, so a field added
to a model later does not break the COPY. Rows are plain tuples: at millions of rows the cost
of a dict or a model instance per row is most of the run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection, models

from vmo.core.fields import EncryptedTextField


class Table:
    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(by_attname)
        if unknown:
            raise ValueError(f"{self.name} has no columns {sorted(unknown)}")
        # A serial key left out is numbered by the database.
        rest = [
            f
            for name, f in by_attname.items()
            if name not in columns
            and not (f.primary_key and isinstance(f, models.fields.AutoFieldMixin))
        ]
        defaults = []
        for f in rest:
            # An encrypted column's default would be written as plain text: the caller encrypts.
            if isinstance(f, EncryptedTextField) and f.get_default() not in ("", None):
                raise ValueError(f"{self.name}.{f.attname} is encrypted: give it a value")
            if not (f.has_default() or f.null or (f.blank and f.empty_strings_allowed)):
                raise ValueError(f"{self.name}.{f.attname} needs a value")
            value = f.get_default()
            # JSON columns go in as their text: neither COPY nor sqlite3 adapts a list or dict.
            if isinstance(f, models.JSONField) and value is not None:
                value = json.dumps(value)
            defaults.append(value)
        self.columns = [by_attname[c].column for c in columns] + [f.column for f in rest]
        self.defaults = tuple(defaults)
        self.rows: list[tuple[Any, ...]] = []

    def add(self, *values: Any) -> None:
        self.rows.append(values)

    def flush(self) -> int:
        count = len(self.rows)
        if count:
            defaults = self.defaults
            write_rows(self.name, self.columns, (row + defaults for row in self.rows))
        self.rows = []
        return count


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_rows(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.connection.cursor().copy(
                f"COPY {quote(table)} ({column_list}) FROM STDIN"
            ) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({column_list}) VALUES ({placeholders})",  # noqa: S608 - names from _meta
                [tuple(_sqlite_value(v) for v in row) for row in rows],
            )


class IdReserver:
    """Primary keys taken ahead of the insert, so rows can point at each other before COPY."""

    def __init__(self, model: type[models.Model]) -> None:
        self.table = model._meta.db_table
        self.next_id: int | None = None

    def take(self, n: int) -> list[int]:
        if n == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The sequence hands out each value once, even with other writers at work.
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, n],
                )
                return [row[0] for row in cursor.fetchall()]
            if self.next_id is None:
                table = connection.ops.quote_name(self.table)
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - name from _meta
                self.next_id = int(cursor.fetchone()[0])
        first = self.next_id
        self.next_id += n
        return list(range(first, first + n))


class Allocator:
    """Unique values from a counter: each candidate is checked against the database in bulk,
    and a value already taken (by the demo, a signup, an earlier run) moves on to the next counter."""

    def __init__(
        self, *, start: int, make: Callable[[int, Any], str], taken: Callable[[list[str]], set[str]]
    ) -> None:
        self.k = start
        self.make = make
        self.taken = taken

    def take(self, items: Sequence[Any]) -> list[tuple[int, str]]:
        """(counter, value) for each item."""
        result: list[tuple[int, str]] = [(0, "")] * len(items)
        pending = list(range(len(items)))
        # The counter's bijection never repeats a value within a run; this guards one call anyway.
        seen: set[str] = set()
        make = self.make
        while pending:
            candidates = []
            for i in pending:
                candidates.append((i, self.k, make(self.k, items[i])))
                self.k += 1
            taken = self.taken([value for _i, _k, value in candidates])
            pending = []
            for i, k, value in candidates:
                if value in taken or value in seen:
                    pending.append(i)
                else:
                    seen.add(value)
                    result[i] = (k, value)
        return result

    def values(self, items: Sequence[Any]) -> list[str]:
        return [value for _k, value in self.take(items)]

    def count(self, n: int) -> list[str]:
        return self.values([None] * n)


def existing(
    model: type[models.Model], column: str, values: list[str], *, where: str = ""
) -> set[str]:
    """The values already in a column (with an optional fixed SQL condition). One array
    parameter on PostgreSQL, sent as one text (the values have no newline): thousands of
    placeholders, or an array adapted value by value, cost more to build than to look up."""
    quote = connection.ops.quote_name
    table, col = quote(model._meta.db_table), quote(column)
    extra = f" AND {where}" if where else ""
    found: set[str] = set()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for i in range(0, len(values), 50_000):
                cursor.execute(
                    f"SELECT {col} FROM {table}"  # noqa: S608 - names from _meta
                    f" WHERE {col} = ANY(string_to_array(%s, E'\\n')){extra}",
                    ["\n".join(values[i : i + 50_000])],
                )
                found.update(row[0] for row in cursor.fetchall())
            return found
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT {col} FROM {table} WHERE {col} IN ({marks}){extra}",  # noqa: S608 - names from _meta
                chunk,
            )
            found.update(row[0] for row in cursor.fetchall())
    return found
