"""Fast row writing for the scale generator: COPY on PostgreSQL, executemany elsewhere.

Rows bypass the ORM (no save(), no signals, no field encryption): the caller passes values
as they are stored, with personal data already encrypted. Every concrete column is written,
so a field added to a model later gets its default instead of breaking the COPY.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.db import connection, models

_UNSET = object()


class Table:
    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.name = model._meta.db_table
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        # Defaults evaluated once: fine for the constant defaults of these tables.
        self.defaults = [
            f.get_default() if f.has_default() or f.null else _UNSET for f in self.fields
        ]
        self.attnames = [f.attname for f in self.fields]
        # JSON columns go in as their text: neither COPY nor sqlite3 adapts a list or dict.
        self.json = [isinstance(f, models.JSONField) for f in self.fields]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, **values: Any) -> None:
        row = []
        for name, default, is_json in zip(self.attnames, self.defaults, self.json, strict=True):
            value = values.get(name, default)
            if value is _UNSET:
                raise ValueError(f"{self.name}.{name} needs a value")
            row.append(json.dumps(value) if is_json and value is not None else value)
        self.rows.append(tuple(row))

    def flush(self) -> int:
        count = len(self.rows)
        if count:
            write_rows(self.name, self.columns, self.rows)
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
                for row in rows:
                    copy.write_row(row)
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

    def take(self, items: list[Any]) -> list[tuple[int, str]]:
        result: list[tuple[int, str]] = [(0, "")] * len(items)
        pending = list(range(len(items)))
        # The counter's bijection never repeats a value within a run; this guards one call anyway.
        seen: set[str] = set()
        while pending:
            candidates = []
            for i in pending:
                candidates.append((i, self.k, self.make(self.k, items[i])))
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


def existing(queryset: Any, field: str, values: list[str], *, chunk: int = 5000) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(values), chunk):
        found.update(
            queryset.filter(**{f"{field}__in": values[i : i + chunk]}).values_list(field, flat=True)
        )
    return found
