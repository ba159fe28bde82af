"""Does a restored copy hold what it needs to read its own data? (docs/operations.md, Backups)

A database dump without the PII keys it was written under is a database nobody can sign in to:
every ID number and phone is an AES-GCM token naming its key. ``pii_check`` reads raw tokens of
every encrypted column (SQL, as pii_rotate does, so the key id is seen) and opens a sample of
each model's rows with the configured keys.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from . import crypto
from .fields import EncryptedTextField


@dataclass
class ColumnCheck:
    label: str
    read: int = 0
    opened: int = 0
    missing_keys: Counter[str] = field(default_factory=Counter)
    failed: int = 0  # a key of that id is configured but does not open the token

    @property
    def ok(self) -> bool:
        return self.read == self.opened


def pii_check(*, sample: int = 500) -> list[ColumnCheck]:
    """For each model with encrypted columns, up to ``sample`` rows (newest first) opened."""
    checks: list[ColumnCheck] = []
    quote = connection.ops.quote_name
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not fields:
            continue
        check = ColumnCheck(label=model._meta.label)
        columns = ", ".join(quote(f.column) for f in fields)
        pk = quote(model._meta.pk.column)
        table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {table} ORDER BY {pk} DESC LIMIT %s",  # noqa: S608 - names from _meta
                [sample],
            )
            rows = cursor.fetchall()
        for row in rows:
            for model_field, token in zip(fields, row, strict=True):
                if not token:
                    continue
                check.read += 1
                try:
                    crypto.decrypt(token, purpose=model_field.purpose)
                except ImproperlyConfigured:
                    check.missing_keys[crypto.key_id_of(token)] += 1
                except Exception:  # noqa: BLE001 - InvalidTag, bad base64: a wrong key
                    check.failed += 1
                else:
                    check.opened += 1
        checks.append(check)
    return checks
