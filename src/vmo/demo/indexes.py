"""Secondary indexes set aside while a large run loads, rebuilt once at the end (PostgreSQL).

Keeping a dozen btrees up to date row by row is most of the cost of loading millions of
rows; building each once from the loaded table is several times cheaper. Only indexes that
enforce nothing are set aside (not the primary keys, not a unique index or constraint), so
every uniqueness the models declare is checked during the load as always.

The definitions are kept in the table's comment before the index is dropped, in the same
transaction: if the run dies half way, the next run (or `restore()`) rebuilds them from
there, so a table is never left without its indexes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

MARK = "vmo.demo.generate deferred indexes: "


def _comment(cursor: object, table: str) -> str:
    cursor.execute(  # type: ignore[attr-defined]
        "SELECT obj_description(%s::regclass, 'pg_class')", [table]
    )
    row = cursor.fetchone()  # type: ignore[attr-defined]
    return row[0] or "" if row else ""


def _set_comment(cursor: object, table: str, text: str | None) -> None:
    quoted = connection.ops.quote_name(table)
    if text is None:
        cursor.execute(f"COMMENT ON TABLE {quoted} IS NULL")  # type: ignore[attr-defined]
    else:
        cursor.execute(f"COMMENT ON TABLE {quoted} IS %s", [text])  # type: ignore[attr-defined]


def defer(tables: Iterable[str]) -> None:
    """Drop the secondary indexes of the tables, their definitions kept in the comment."""
    if connection.vendor != "postgresql":
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            comment = _comment(cursor, table)
            if comment.startswith(MARK):
                continue  # already set aside by a run that did not finish: rebuilt at the end
            cursor.execute(
                """
                SELECT c.relname, pg_get_indexdef(i.indexrelid)
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
                ORDER BY c.relname
                """,
                [table],
            )
            found = cursor.fetchall()
            if not found:
                continue
            kept = {"comment": comment, "indexes": [d for _n, d in found]}
            _set_comment(cursor, table, MARK + json.dumps(kept))
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")


def restore(tables: Iterable[str]) -> int:
    """Rebuild what defer() set aside; returns how many indexes were built."""
    if connection.vendor != "postgresql":
        return 0
    built = 0
    with connection.cursor() as cursor:
        # Each build sorts the whole table: give it memory (this session only).
        cursor.execute("SET maintenance_work_mem = '256MB'")
        # Inside a transaction (the tests), the foreign keys' deferred checks of the rows just
        # written must run before a table can be indexed.
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            text = _comment(cursor, table)
            if not text.startswith(MARK):
                continue
            kept = json.loads(text[len(MARK) :])
            with transaction.atomic():
                for definition in kept["indexes"]:
                    cursor.execute(
                        definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
                    )
                    built += 1
                _set_comment(cursor, table, kept["comment"] or None)
        cursor.execute("RESET maintenance_work_mem")
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return built


@contextmanager
def deferred(tables: list[str], *, enabled: bool) -> Iterator[None]:
    """Load with the secondary indexes set aside (if enabled), always rebuilt on the way out."""
    restore(tables)  # left by a run that died
    if enabled:
        defer(tables)
    try:
        yield
    finally:
        restore(tables)
