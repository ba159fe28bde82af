"""Database triggers that make the history tables append-only, below the ORM.

Installed after every `migrate` (post_migrate), not in a migration, because SQLite rebuilds a
table, and drops its triggers, whenever a migration alters it.

SQLite (the embedded default) refuses UPDATE only: Django's test flush empties tables there
with DELETE, while PostgreSQL uses TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

GUARDED_TABLES = (
    "core_event",
    "core_dataaccess",
    "payments_gatewaynotification",
    "checks_organisationcall",
    "checks_refusedkeycall",
)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION vmo_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def install(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            for table in GUARDED_TABLES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION vmo_append_only()"
                )
        elif connection.vendor == "sqlite":
            for table in GUARDED_TABLES:
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_update BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )


def install_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    install(using)
